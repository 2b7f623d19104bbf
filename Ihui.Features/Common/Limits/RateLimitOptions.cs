using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Limits;

/// <summary>Per-user request limit: <c>RATE_LIMIT_REQUESTS</c> (100; 0 switches it off) per <c>RATE_LIMIT_WINDOW_SECONDS</c> (60).</summary>
public sealed record RateLimitOptions(int Requests, TimeSpan Window)
{
    public static RateLimitOptions From(IConfiguration c)
    {
        var requests = c["RATE_LIMIT_REQUESTS"] is { Length: > 0 } r
            ? int.TryParse(r, out var n) && n is >= 0 and <= 1_000_000 ? n
                : throw new InvalidOperationException("RATE_LIMIT_REQUESTS must be a whole number from 0 (off) to 1000000")
            : 100;
        var seconds = c["RATE_LIMIT_WINDOW_SECONDS"] is { Length: > 0 } w
            ? int.TryParse(w, out var s) && s is >= 1 and <= 86_400 ? s
                : throw new InvalidOperationException("RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds from 1 to 86400")
            : 60;
        return new RateLimitOptions(requests, TimeSpan.FromSeconds(seconds));
    }
}
