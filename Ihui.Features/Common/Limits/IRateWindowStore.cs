namespace Ihui.Features.Common.Limits;

/// <summary>
/// Counts requests in a sliding window per key. The in-process <see cref="MemoryRateWindowStore"/> is the default; a
/// store shared by several instances (Redis) implements the same contract.
/// </summary>
public interface IRateWindowStore
{
    /// <summary>Counts one request for <paramref name="key"/> when fewer than <paramref name="limit"/> fell in the last <paramref name="window"/>.</summary>
    ValueTask<RateDecision> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken ct);
}

/// <summary>Refused requests carry how long until the oldest counted one leaves the window.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static RateDecision Allow => new(true, TimeSpan.Zero);
}

/// <summary>A request counted against its user's window (<c>RATE_LIMIT_REQUESTS</c> per <c>RATE_LIMIT_WINDOW_SECONDS</c>).</summary>
public interface IUserRateLimited;
