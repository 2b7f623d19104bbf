namespace Ihui.Features.Common.Limits;

/// <summary>
/// Counts requests against their limits and holds their concurrency slots. The in-process <see cref="MemoryLimitStore"/>
/// is the default; the Redis store (with <c>REDIS_URL</c>) shares the counts between instances. Every rule of one
/// request is checked and counted at once: a request refused by one limit is counted by none.
/// </summary>
public interface ILimitStore
{
    ValueTask<LimitDecision> AcquireAsync(LimitPlan plan, CancellationToken ct);

    /// <summary>Gives back the request's concurrency slots (a lease that holds none is ignored).</summary>
    void Release(in LimitLease lease);
}

/// <summary>
/// What one request is counted against. A limit of 0 is off. Rates are sliding windows: per minute for the user and
/// the key, <see cref="GroupWindow"/> for seed 003's per-user window.
/// </summary>
public readonly record struct LimitPlan(string UserId, string? KeyId, int UserRpm, int KeyRpm, int GroupLimit, TimeSpan GroupWindow,
    int UserConcurrency, int KeyConcurrency)
{
    public bool HoldsSlot => UserConcurrency > 0 || KeyId is not null && KeyConcurrency > 0;
    public bool IsEmpty => UserRpm <= 0 && GroupLimit <= 0 && !HoldsSlot && (KeyId is null || KeyRpm <= 0);
}

public enum LimitKind { None, UserRate, KeyRate, GroupRate, UserConcurrency, KeyConcurrency }

/// <summary>A refusal names the limit and how long until the request would fit.</summary>
public readonly record struct LimitDecision(LimitKind Refused, TimeSpan RetryAfter, LimitLease Lease)
{
    public bool Allowed => Refused == LimitKind.None;
    public static LimitDecision Allow(LimitLease lease) => new(LimitKind.None, TimeSpan.Zero, lease);
    public static LimitDecision Refuse(LimitKind kind, TimeSpan retryAfter) => new(kind, retryAfter, default);
}

/// <summary>The slots a request holds, as its store knows them (default: none).</summary>
public readonly record struct LimitLease(object? State, string? Member = null)
{
    public bool Holds => State is not null;
}

/// <summary>A request counted against its user's seed-003 window (<c>RATE_LIMIT_REQUESTS</c> per <c>RATE_LIMIT_WINDOW_SECONDS</c>).</summary>
public interface IUserRateLimited;
