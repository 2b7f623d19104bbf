using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Admin;

public sealed class ChannelAdminInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration) => services.AddSingleton<ChannelAdmin>();
}
