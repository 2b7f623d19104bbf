using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ihui.Features.Common.Vendors.Luyala;

/// <summary>Luyala's video client; its <c>ITaskVendor</c> is found by the tasks installer's scan.</summary>
public sealed class LuyalaInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration) => services.TryAddSingleton<LuyalaVideoClient>();
}
