using System.Security.Cryptography;
using System.Text;
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

    public static AdminJwtOptions From(IConfiguration c, IHostEnvironment environment)
    {
        var secret = c["ADMIN_JWT_SECRET"];
        var key = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);
        var ephemeral = false;
        if (key is null || key.Length < MinimumKeyBytes)
        {
            key = environment.IsDevelopment() ? RandomNumberGenerator.GetBytes(64) : null;
            ephemeral = key is not null;
        }
        return new AdminJwtOptions
        {
            SigningKey = key,
            Ephemeral = ephemeral,
            AccessLifetime = TimeSpan.FromSeconds(Seconds(c, "ADMIN_ACCESS_TOKEN_SECONDS", 900)),
            RefreshLifetime = TimeSpan.FromSeconds(Seconds(c, "ADMIN_REFRESH_TOKEN_SECONDS", 7 * 24 * 3600)),
        };
    }

    private static double Seconds(IConfiguration c, string key, double fallback) =>
        double.TryParse(c[key], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
