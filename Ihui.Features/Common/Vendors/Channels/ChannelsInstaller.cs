using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Common.Vendors.Channels;

public sealed class ChannelsInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ChannelSettings.From(configuration));
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<ChannelRouter>();
        services.AddSingleton<IStartupSeeder>(sp => sp.GetRequiredService<ChannelRouter>());
        services.AddHostedService<ChannelRefresher>();
    }
}
