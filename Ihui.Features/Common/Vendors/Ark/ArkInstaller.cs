using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ihui.Features.Common.Vendors.Ark;

public sealed class ArkInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration) => services.TryAddSingleton<ArkClient>();
}
