using System.Collections.Concurrent;

namespace Ihui.Features.Common.Limits;

/// <summary>
/// An exact sliding window in this process: each key keeps the times of its counted requests within the window.
/// Keys idle for a whole window are dropped now and then, so memory follows the active users.
/// </summary>
public sealed class MemoryRateWindowStore(TimeProvider clock) : IRateWindowStore
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweep;

    public ValueTask<RateDecision> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcTicks;
        SweepNowAndThen(now, window.Ticks);
        var w = _windows.GetOrAdd(key, static _ => new Window());
        lock (w)
        {
            while (w.Times.Count > 0 && w.Times.Peek() <= now - window.Ticks) w.Times.Dequeue();
            w.LastSeen = now;
            if (w.Times.Count >= limit)
                return ValueTask.FromResult(new RateDecision(false, TimeSpan.FromTicks(w.Times.Peek() + window.Ticks - now)));
            w.Times.Enqueue(now);
            return ValueTask.FromResult(RateDecision.Allow);
        }
    }

    private void SweepNowAndThen(long now, long window)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + window, due) != due) return;
        foreach (var (key, w) in _windows)
            lock (w)
                if (w.LastSeen <= now - window) _windows.TryRemove(new KeyValuePair<string, Window>(key, w));
    }

    private sealed class Window
    {
        public readonly Queue<long> Times = new();
        public long LastSeen;
    }
}
