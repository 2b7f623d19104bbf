using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ihui.Features.Common.Limits;

public sealed class LimitsInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(LimitOptions.From(configuration));
        // A shared store registered before this one (Redis) wins.
        services.TryAddSingleton<ILimitStore, MemoryLimitStore>();
        services.AddHttpContextAccessor();
        services.AddScoped<RequestLimiter>();
    }
}
