using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Ihui.Features.Common.Admin;

/// <summary>Accounts and the admin console: JWTs, admins, audit, login throttling, new-user grants.</summary>
public sealed class AccountsInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        var lifetimes = AdminJwtOptions.Lifetimes(configuration);
        services.AddSingleton(sp => AdminJwtOptions.From(configuration, sp.GetRequiredService<IHostEnvironment>(), lifetimes));
        services.AddSingleton<AdminTokens>();
        services.AddSingleton<AdminStore>();
        services.AddSingleton<AdminAudit>();
        services.AddScoped<CurrentAdmin>();
        services.AddSingleton(LoginThrottleOptions.From(configuration));
        // A shared store registered before this one (Redis) wins.
        services.TryAddSingleton<ILoginAttemptStore, MemoryLoginAttemptStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton(PasswordGateOptions.From(configuration));
        services.AddSingleton<PasswordGate>();
        services.AddSingleton(AccountOptions.From(configuration));
        services.AddHostedService<AdminBootstrap>();
    }
}
