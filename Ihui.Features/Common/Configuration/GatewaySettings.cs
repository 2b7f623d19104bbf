using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Configuration;

/// <summary>Gateway-wide settings read once from configuration under the seed's variable names.</summary>
public sealed record GatewaySettings
{
    public decimal TokenBaseMultiplier { get; init; } = 2.0m;
    public bool AllowNegativeBalance { get; init; }
    /// <summary>
    /// How long a hold whose call never settled stands before the sweeper releases it (<c>BILLING_HOLD_TIMEOUT_SECONDS</c>).
    /// By default the longest configured vendor timeout plus <see cref="HoldMargin"/>: a call cannot wait longer for its
    /// vendor, so an older hold is dead (its process died); a stream that runs longer renews its hold while it runs.
    /// </summary>
    public TimeSpan HoldTimeout { get; init; } = TimeSpan.FromSeconds(120) + HoldMargin;

    public static readonly TimeSpan HoldMargin = TimeSpan.FromSeconds(60);
    public int DefaultMaxOutputTokens { get; init; } = 1024;
    public long MaxRequestBodyBytes { get; init; } = 10 * 1024 * 1024;

    public static GatewaySettings From(IConfiguration c) => new()
    {
        TokenBaseMultiplier = Setting.Decimal(c, "TOKEN_BASE_MULTIPLIER", 2.0m, 0m, 1000m),
        AllowNegativeBalance = Setting.Bool(c, "BILLING_ALLOW_NEGATIVE", false),
        HoldTimeout = Setting.Seconds(c, "BILLING_HOLD_TIMEOUT_SECONDS", (Vendors.VendorTimeouts.Longest(c) + HoldMargin).TotalSeconds, 30 * 24 * 3600),
        DefaultMaxOutputTokens = Setting.Int(c, "DEFAULT_MAX_OUTPUT_TOKENS", 1024, 1, 1_000_000),
        MaxRequestBodyBytes = Setting.Long(c, "MAX_REQUEST_BODY_BYTES", 10L * 1024 * 1024, 1024, 1L << 31),
    };

    /// <summary>A number, or null when unset; a value that is not a number stops the start. Prefer <see cref="Setting"/>, which also checks bounds.</summary>
    public static decimal? Decimal(IConfiguration c, string key) =>
        Setting.Text(c, key) is null ? null : Setting.Decimal(c, key, 0, decimal.MinValue, decimal.MaxValue);
}
