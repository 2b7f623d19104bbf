using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ihui.Features.Common.Vendors.DashScope;

public sealed class DashScopeInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration) => services.TryAddSingleton<DashScopeClient>();
}
