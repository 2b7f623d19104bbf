using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Limits;

/// <summary>Per-user request limit: <c>RATE_LIMIT_REQUESTS</c> (100; 0 switches it off) per <c>RATE_LIMIT_WINDOW_SECONDS</c> (60).</summary>
public sealed record RateLimitOptions(int Requests, TimeSpan Window)
{
    public static RateLimitOptions From(IConfiguration c) => new(
        Setting.Int(c, "RATE_LIMIT_REQUESTS", 100, 0, 1_000_000),
        TimeSpan.FromSeconds(Setting.Long(c, "RATE_LIMIT_WINDOW_SECONDS", 60, 1, 86_400)));
}
