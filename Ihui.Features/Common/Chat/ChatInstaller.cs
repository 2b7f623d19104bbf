using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Common.Chat;

public sealed class ChatInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ChatOptions.From(configuration));
        services.AddSingleton<ChatHistoryStore>();
        services.AddScoped<ChatStreamer>();
    }
}
