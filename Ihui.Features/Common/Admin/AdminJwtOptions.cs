using System.Security.Cryptography;
using System.Text;
using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Ihui.Features.Common.Admin;

/// <summary>
/// Admin JWT settings. The HS256 key is <c>ADMIN_JWT_SECRET</c> (at least 32 bytes). Without one, admin routes
/// answer 503, except in Development, where a random per-process key is generated (tokens die with the process).
/// </summary>
public sealed record AdminJwtOptions
{
    public const int MinimumKeyBytes = 32;
    public const string Issuer = "ihui";
    public const string Audience = "ihui-admin";

    public byte[]? SigningKey { get; init; }
    public bool Ephemeral { get; init; }
    public TimeSpan AccessLifetime { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshLifetime { get; init; } = TimeSpan.FromDays(7);

    public bool Configured => SigningKey is not null;

    /// <summary>The lifetimes, read (and checked) while the services are registered; the key waits for the environment.</summary>
    public static AdminJwtOptions Lifetimes(IConfiguration c) => new()
    {
        AccessLifetime = Setting.Seconds(c, "ADMIN_ACCESS_TOKEN_SECONDS", 900, 30 * 24 * 3600),
        RefreshLifetime = Setting.Seconds(c, "ADMIN_REFRESH_TOKEN_SECONDS", 7 * 24 * 3600, 365 * 24 * 3600),
    };

    public static AdminJwtOptions From(IConfiguration c, IHostEnvironment environment) => From(c, environment, Lifetimes(c));

    public static AdminJwtOptions From(IConfiguration c, IHostEnvironment environment, AdminJwtOptions lifetimes)
    {
        var secret = c["ADMIN_JWT_SECRET"];
        var key = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);
        var ephemeral = false;
        if (key is null || key.Length < MinimumKeyBytes)
        {
            key = environment.IsDevelopment() ? RandomNumberGenerator.GetBytes(64) : null;
            ephemeral = key is not null;
        }
        return lifetimes with { SigningKey = key, Ephemeral = ephemeral };
    }
}
