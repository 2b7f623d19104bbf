using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ihui.Features.Common.Limits;

public sealed class LimitsInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(RateLimitOptions.From(configuration));
        // A shared store registered before this one (e.g. Redis-backed) wins.
        services.TryAddSingleton<IRateWindowStore, MemoryRateWindowStore>();
        services.AddScoped<RateLimiter>();
    }
}
