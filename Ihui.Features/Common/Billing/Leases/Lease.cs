namespace Ihui.Features.Common.Billing.Leases;

/// <summary>
/// One lease in memory: tokens this instance took from a user's balance (and from an API key's quota, when the calls
/// are made with one) in one atomic statement, spent by holds and charges under <see cref="_gate"/>. The money lives in
/// one place only: what <see cref="Available"/> says can be held is never anywhere else.
/// </summary>
public sealed class Lease(string id, string userId, string? apiKeyId, UserLeases owner)
{
    private readonly object _gate = new();
    private long _available;
    private long _onDisk;
    private int _holds;
    private long _lastUsed = Environment.TickCount64;
    private bool _closed;
    private long _confirmedAt;

    /// <summary>How long after its row was last written (taken, topped up, renewed) the lease may take new holds.</summary>
    internal long FreshForMs { get; init; } = long.MaxValue;

    public string Id { get; } = id;
    public string UserId { get; } = userId;
    public string? ApiKeyId { get; } = apiKeyId;

    /// <summary>The user's leases on this instance and what the database last said of the balance.</summary>
    public UserLeases Owner { get; } = owner;

    /// <summary>Serialises top-ups, so a burst of callers waits for one top-up instead of taking one each.</summary>
    internal SemaphoreSlim TopUpGate { get; } = new(1, 1);

    /// <summary>Whether the row exists (the first top-up creates it).</summary>
    internal bool Created { get; set; }

    /// <summary>Tokens not held and not charged: what new holds may take.</summary>
    public long Available { get { lock (_gate) return _available; } }

    /// <summary>What the lease row holds on disk as far as this instance knows (taken − charges flushed).</summary>
    public long OnDisk { get { lock (_gate) return _onDisk; } }

    public int Holds { get { lock (_gate) return _holds; } }

    public bool Closed { get { lock (_gate) return _closed; } }

    public long IdleMilliseconds => Environment.TickCount64 - Interlocked.Read(ref _lastUsed);

    /// <summary>Takes <paramref name="amount"/> for a call's hold when the lease covers it.</summary>
    public bool TryHold(long amount)
    {
        lock (_gate)
        {
            if (_closed || _available < amount || Environment.TickCount64 - _confirmedAt >= FreshForMs) return false;
            _available -= amount;
            _holds++;
            _lastUsed = Environment.TickCount64;
            return true;
        }
    }

    /// <summary>A refund: the hold goes back in full.</summary>
    public void Release(long hold)
    {
        lock (_gate)
        {
            _available += hold;
            _holds--;
            _lastUsed = Environment.TickCount64;
        }
    }

    /// <summary>
    /// A settlement: the hold goes back and the charge is taken, capped at what the lease has (the caller tops the lease
    /// up first when the charge exceeds the hold). Returns the charge.
    /// </summary>
    public long Settle(long hold, long charge)
    {
        lock (_gate)
        {
            charge = Math.Min(charge, _available + hold);
            _available += hold - charge;
            _holds--;
            _lastUsed = Environment.TickCount64;
            return charge;
        }
    }

    /// <summary>The row's expiry was moved on at <paramref name="at"/> (<see cref="Environment.TickCount64"/>, taken before the write).</summary>
    internal void Confirmed(long at)
    {
        lock (_gate) _confirmedAt = Math.Max(_confirmedAt, at);
    }

    /// <summary>A top-up (which also moves the row's expiry on) has landed: <paramref name="amount"/> more on disk and to spend.</summary>
    internal void Add(long amount, long at)
    {
        lock (_gate)
        {
            _confirmedAt = Math.Max(_confirmedAt, at);
            _available += amount;
            _onDisk += amount;
        }
    }

    /// <summary>A flush has lowered the row by the charges it wrote.</summary>
    internal void Flushed(long charged)
    {
        lock (_gate) _onDisk -= charged;
    }

    /// <summary>No new holds from now on; true when this call closed it and nothing is held (it may be returned).</summary>
    internal bool CloseIfIdle(long idleMs)
    {
        lock (_gate)
        {
            if (_closed || _holds > 0 || Environment.TickCount64 - _lastUsed < idleMs) return false;
            _closed = true;
            return true;
        }
    }

    /// <summary>No new holds (shutdown, or the row was swept): outstanding holds still settle.</summary>
    internal void Close()
    {
        lock (_gate) _closed = true;
    }

    /// <summary>The row is gone (swept after expiry): nothing is left to spend.</summary>
    internal void Lost()
    {
        lock (_gate)
        {
            _closed = true;
            _available = 0;
            _onDisk = 0;
        }
    }
}
