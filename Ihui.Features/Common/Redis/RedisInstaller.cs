using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Limits;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Common.Redis;

/// <summary>With <c>REDIS_URL</c>: the shared connection, the task-event relay, the login throttle's counts and the request limits; without it nothing (all in process).</summary>
public sealed class RedisInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        var options = RedisOptions.From(configuration);
        services.AddSingleton(options);
        if (!options.Enabled) return;
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<RedisTaskRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisTaskRelay>());
        // Not TryAdd: whichever installer runs first, the shared store is the one resolved.
        services.AddSingleton<ILoginAttemptStore, RedisLoginAttemptStore>();
        services.AddSingleton<RedisLimitStore>();
        services.AddSingleton<ILimitStore>(sp => sp.GetRequiredService<RedisLimitStore>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisLimitStore>());
    }
}
