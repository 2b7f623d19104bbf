using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Configuration;

/// <summary>Gateway-wide settings read once from configuration under the seed's variable names.</summary>
public sealed record GatewaySettings
{
    public decimal TokenBaseMultiplier { get; init; } = 2.0m;
    public bool AllowNegativeBalance { get; init; }
    public TimeSpan HoldTimeout { get; init; } = TimeSpan.FromHours(2);
    public int DefaultMaxOutputTokens { get; init; } = 1024;
    public long MaxRequestBodyBytes { get; init; } = 10 * 1024 * 1024;

    public static GatewaySettings From(IConfiguration c) => new()
    {
        TokenBaseMultiplier = Decimal(c, "TOKEN_BASE_MULTIPLIER") ?? 2.0m,
        AllowNegativeBalance = bool.TryParse(c["BILLING_ALLOW_NEGATIVE"], out var neg) && neg,
        HoldTimeout = TimeSpan.FromSeconds((double)(Decimal(c, "BILLING_HOLD_TIMEOUT_SECONDS") ?? 7200m)),
        DefaultMaxOutputTokens = (int)(Decimal(c, "DEFAULT_MAX_OUTPUT_TOKENS") ?? 1024m),
        MaxRequestBodyBytes = (long)(Decimal(c, "MAX_REQUEST_BODY_BYTES") ?? 10m * 1024 * 1024),
    };

    public static decimal? Decimal(IConfiguration c, string key) =>
        decimal.TryParse(c[key], NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : null;
}
