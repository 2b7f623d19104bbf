using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Channels;
using Ihui.Features.Common.Vendors.Jimeng;
using Ihui.Features.Common.Vendors.Kling;
using Ihui.Features.Common.Vendors.Suno;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Common.Vendors;

/// <summary>The signed/asynchronous media vendors: their clients, HTTP clients, <see cref="ITaskVendor"/>s for the task engine and <see cref="IChannelProbe"/>s for the channel test.</summary>
public sealed class MediaVendorsInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        services.AddVendorHttpClient(JimengClient.Definition, configuration);
        services.AddVendorHttpClient(KlingClient.Definition, configuration);
        services.AddVendorHttpClient(SunoClient.Definition, configuration);
        services.AddSingleton<JimengClient>();
        services.AddSingleton<KlingClient>();
        services.AddSingleton<SunoClient>();
        services.AddSingleton<IChannelProbe>(sp => sp.GetRequiredService<JimengClient>());
        services.AddSingleton<IChannelProbe>(sp => sp.GetRequiredService<KlingClient>());
        services.AddSingleton<IChannelProbe>(sp => sp.GetRequiredService<SunoClient>());
        services.AddSingleton<ITaskVendor, JimengVideoTaskVendor>();
        services.AddSingleton<ITaskVendor, KlingTextToVideoTaskVendor>();
        services.AddSingleton<ITaskVendor, SunoMusicTaskVendor>();
    }
}
