using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Admin;

/// <summary>
/// At start-up: reports an unconfigured or ephemeral JWT key, and on a fresh install (no admin yet) creates the
/// first admin from <c>ADMIN_USERNAME</c>/<c>ADMIN_PASSWORD</c>. Runs after the migrations (the host applies
/// them before it starts hosted services).
/// </summary>
public sealed class AdminBootstrap(AdminJwtOptions jwt, AdminStore admins, IConfiguration configuration, ILogger<AdminBootstrap> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!jwt.Configured)
            logger.LogError("ADMIN_JWT_SECRET is missing or shorter than {MinBytes} bytes: /admin routes answer 503", AdminJwtOptions.MinimumKeyBytes);
        else if (jwt.Ephemeral)
            logger.LogWarning("Development: ADMIN_JWT_SECRET is not set; admin tokens are signed with a random key and end with this process");

        var name = configuration["ADMIN_USERNAME"];
        var password = configuration["ADMIN_PASSWORD"];
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password)) return;
        if (await admins.CountAsync(cancellationToken) > 0) return;
        if ((AccountRules.NameProblem(name.Trim()) ?? AccountRules.PasswordProblem(password)) is { } problem)
        {
            logger.LogError("First admin not created from ADMIN_USERNAME/ADMIN_PASSWORD: {Problem}", problem);
            return;
        }
        try
        {
            var admin = await admins.CreateAsync(name.Trim(), password, cancellationToken);
            logger.LogWarning("Created the first admin {AdminName} from ADMIN_USERNAME", admin.Name);
        }
        catch (ApiException e) when (e.Status == 409)
        {
            // Another instance created it first.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
