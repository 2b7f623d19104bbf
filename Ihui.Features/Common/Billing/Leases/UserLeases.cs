using System.Collections.Concurrent;

namespace Ihui.Features.Common.Billing.Leases;

/// <summary>One user's leases on this instance (one per API key, and one for calls without a key) and their recent spend.</summary>
public sealed class UserLeases(string userId)
{
    private long _seen;
    private long _spent;
    private long _windowSpent;
    private long _windowStart = Environment.TickCount64;

    public string UserId { get; } = userId;

    /// <summary>Key: the API key id, "" for calls without one.</summary>
    public ConcurrentDictionary<string, Lease> Leases { get; } = new(StringComparer.Ordinal);

    /// <summary>Until when (<see cref="Environment.TickCount64"/>) a lease is not tried again after the balance could not cover one.</summary>
    public long NoLeaseUntil;

    /// <summary>The balance column plus other instances' leases, as of this instance's last write for the user.</summary>
    public long Seen
    {
        get => Interlocked.Read(ref _seen);
        set => Interlocked.Exchange(ref _seen, value);
    }

    /// <summary>What users see as their balance: the last figure from the database plus what this instance's leases have left.</summary>
    public long Visible => Seen + Leases.Values.Sum(l => l.Available);

    public void Spent(long tokens) => Interlocked.Add(ref _spent, tokens);

    /// <summary>
    /// About a second of the user's recent spend (measured since the last top-up, over at least 100 ms), between the bounds;
    /// at least <paramref name="need"/>.
    /// </summary>
    public long NextLeaseSize(long need, long min, long max)
    {
        var now = Environment.TickCount64;
        var spent = Interlocked.Read(ref _spent);
        var elapsedMs = Math.Max(100, now - Interlocked.Exchange(ref _windowStart, now));
        var inWindow = spent - Interlocked.Exchange(ref _windowSpent, spent);
        var perSecond = elapsedMs > 10_000 ? 0 : inWindow * 1000 / elapsedMs;
        return Math.Max(need, Math.Clamp(perSecond, min, max));
    }
}
