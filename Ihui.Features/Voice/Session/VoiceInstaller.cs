using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Vendors.DashScope;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Voice.Session;

public sealed class VoiceInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(VoiceOptions.From(configuration));
        services.AddSingleton(RealtimeTtsOptions.From(configuration));
        services.AddSingleton<DashScopeRealtimeTts>();
    }
}
