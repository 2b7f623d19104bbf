using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Limits;

/// <summary>
/// The request limits' global defaults (0 = no limit): per user and per API key, requests per minute and requests
/// running at once; an API key's own <c>rpm_limit</c>/<c>concurrency_limit</c> replaces the key defaults. Seed 003's
/// <c>/api/v1</c> routes add their own per-user window (<c>RATE_LIMIT_REQUESTS</c> per <c>RATE_LIMIT_WINDOW_SECONDS</c>).
/// </summary>
public sealed record LimitOptions
{
    public const int MaxRate = 1_000_000;
    public const int MaxConcurrency = 100_000;

    public int UserRequestsPerMinute { get; init; }
    public int UserConcurrency { get; init; }
    public int KeyRequestsPerMinute { get; init; }
    public int KeyConcurrency { get; init; }
    public int GroupRequests { get; init; } = 100;
    public TimeSpan GroupWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>With Redis: how long a slot of a request outlives its instance (a crashed instance's slots free themselves).</summary>
    public TimeSpan ConcurrencyLease { get; init; } = TimeSpan.FromSeconds(60);

    public static LimitOptions From(IConfiguration c) => new()
    {
        UserRequestsPerMinute = Setting.Int(c, "RATE_LIMIT_USER_RPM", 0, 0, MaxRate),
        UserConcurrency = Setting.Int(c, "RATE_LIMIT_USER_CONCURRENCY", 0, 0, MaxConcurrency),
        KeyRequestsPerMinute = Setting.Int(c, "RATE_LIMIT_KEY_RPM", 0, 0, MaxRate),
        KeyConcurrency = Setting.Int(c, "RATE_LIMIT_KEY_CONCURRENCY", 0, 0, MaxConcurrency),
        GroupRequests = Setting.Int(c, "RATE_LIMIT_REQUESTS", 100, 0, MaxRate),
        GroupWindow = TimeSpan.FromSeconds(Setting.Long(c, "RATE_LIMIT_WINDOW_SECONDS", 60, 1, 86_400)),
        ConcurrencyLease = TimeSpan.FromSeconds(Setting.Long(c, "RATE_LIMIT_LEASE_SECONDS", 60, 5, 3600)),
    };
}
