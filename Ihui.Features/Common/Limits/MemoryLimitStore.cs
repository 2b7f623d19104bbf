using System.Collections.Concurrent;

namespace Ihui.Features.Common.Limits;

/// <summary>
/// Exact sliding windows and slot counts in this process. All of a request's rules belong to one user (a key has one
/// owner), so one lock on the user's entry checks and counts them together. A window keeps the times of its counted
/// requests in a ring that grows to what the window holds; users idle for a whole window are dropped now and then.
/// </summary>
public sealed class MemoryLimitStore(TimeProvider clock) : ILimitStore
{
    private static readonly long Minute = TimeSpan.TicksPerMinute;
    private readonly ConcurrentDictionary<string, UserState> _users = new(StringComparer.Ordinal);
    private long _nextSweep;

    public ValueTask<LimitDecision> AcquireAsync(LimitPlan plan, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var groupWindow = plan.GroupWindow.Ticks;
        SweepNowAndThen(now, Math.Max(Minute, groupWindow));
        while (true)
        {
            var u = _users.GetOrAdd(plan.UserId, static _ => new UserState());
            lock (u)
            {
                if (u.Dead) continue; // swept between the lookup and the lock
                u.LastSeen = now;
                var k = plan.KeyId is null ? null : u.Key(plan.KeyId);
                long wait;
                if (plan.UserRpm > 0 && (wait = u.Rate.Wait(now, Minute, plan.UserRpm)) > 0) return Refuse(LimitKind.UserRate, wait);
                if (k is not null && plan.KeyRpm > 0 && (wait = k.Rate.Wait(now, Minute, plan.KeyRpm)) > 0) return Refuse(LimitKind.KeyRate, wait);
                if (plan.GroupLimit > 0 && (wait = u.Group.Wait(now, groupWindow, plan.GroupLimit)) > 0) return Refuse(LimitKind.GroupRate, wait);
                if (plan.UserConcurrency > 0 && u.Active >= plan.UserConcurrency) return Refuse(LimitKind.UserConcurrency, TimeSpan.TicksPerSecond);
                if (k is not null && plan.KeyConcurrency > 0 && k.Active >= plan.KeyConcurrency)
                    return Refuse(LimitKind.KeyConcurrency, TimeSpan.TicksPerSecond);

                if (plan.UserRpm > 0) u.Rate.Add(now);
                if (k is not null && plan.KeyRpm > 0) k.Rate.Add(now);
                if (plan.GroupLimit > 0) u.Group.Add(now);
                if (!plan.HoldsSlot) return ValueTask.FromResult(LimitDecision.Allow(default));
                u.Active++;
                if (k is not null) k.Active++;
                return ValueTask.FromResult(LimitDecision.Allow(new LimitLease((object?)k ?? u)));
            }
        }
    }

    private static ValueTask<LimitDecision> Refuse(LimitKind kind, long waitTicks) =>
        ValueTask.FromResult(LimitDecision.Refuse(kind, TimeSpan.FromTicks(waitTicks)));

    public void Release(in LimitLease lease)
    {
        var (u, k) = lease.State switch
        {
            KeyState key => (key.Owner, key),
            UserState user => (user, null),
            _ => (null, (KeyState?)null),
        };
        if (u is null) return;
        lock (u)
        {
            u.Active--;
            if (k is not null) k.Active--;
        }
    }

    /// <summary>How many users the store keeps (tests read it).</summary>
    public int Users => _users.Count;

    private void SweepNowAndThen(long now, long window)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + window, due) != due) return;
        foreach (var (id, u) in _users)
            lock (u)
            {
                if (u.LastSeen > now - window || u.Active > 0) continue;
                u.Dead = true;
                _users.TryRemove(new KeyValuePair<string, UserState>(id, u));
            }
    }

    private sealed class UserState
    {
        public readonly RateLog Rate = new();
        public readonly RateLog Group = new();
        public int Active;
        public long LastSeen;
        public bool Dead;
        private Dictionary<string, KeyState>? _keys;

        public KeyState Key(string id)
        {
            _keys ??= new Dictionary<string, KeyState>(StringComparer.Ordinal);
            if (!_keys.TryGetValue(id, out var k)) _keys[id] = k = new KeyState(this);
            return k;
        }
    }

    private sealed class KeyState(UserState owner)
    {
        public readonly UserState Owner = owner;
        public readonly RateLog Rate = new();
        public int Active;
    }

    /// <summary>The times of the requests counted in a window, oldest first, in a ring.</summary>
    private sealed class RateLog
    {
        private long[] _times = [];
        private int _head;
        private int _count;

        /// <summary>0 when one more fits under <paramref name="limit"/>; else the ticks until it would.</summary>
        public long Wait(long now, long window, int limit)
        {
            while (_count > 0 && _times[_head] <= now - window)
            {
                _head = (_head + 1) % _times.Length;
                _count--;
            }
            if (_count < limit) return 0;
            // The request that has to leave the window before one more fits (the oldest, unless the limit was lowered).
            var leaving = _times[(_head + _count - limit) % _times.Length];
            return Math.Max(1, leaving + window - now);
        }

        public void Add(long now)
        {
            if (_count == _times.Length)
            {
                var grown = new long[Math.Max(4, _times.Length * 2)];
                for (var i = 0; i < _count; i++) grown[i] = _times[(_head + i) % _times.Length];
                (_times, _head) = (grown, 0);
            }
            _times[(_head + _count) % _times.Length] = now;
            _count++;
        }
    }
}
