using System.Collections.Concurrent;
using Ihui.Features.Common.Limits;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ihui.Features.Common.Redis;

/// <summary>
/// The request limits in Redis, shared by every instance. Windows are exact sliding logs (a sorted set of request
/// times per window); concurrency slots are a sorted set of leases scored by their expiry. One script checks every
/// rule of a request and counts it in all or none, on Redis's own clock (so instances' clocks need not agree). All of
/// a user's keys share one hash tag, so the script also runs on a Redis Cluster. A held slot's lease is renewed while
/// its request runs and given back when it ends; the slots of an instance that died free themselves when their
/// leases run out (<c>RATE_LIMIT_LEASE_SECONDS</c>). When Redis cannot be reached requests are let through and logged.
/// </summary>
public sealed class RedisLimitStore(RedisConnection redis, LimitOptions options, ILogger<RedisLimitStore> logger) : ILimitStore, IHostedService
{
    private const string Acquire = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local member, lease = ARGV[1], tonumber(ARGV[8])
        local windows = {{KEYS[1], tonumber(ARGV[2]), 60000}, {KEYS[2], tonumber(ARGV[3]), 60000}, {KEYS[3], tonumber(ARGV[4]), tonumber(ARGV[5])}}
        local slots = {{KEYS[4], tonumber(ARGV[6])}, {KEYS[5], tonumber(ARGV[7])}}
        for i = 1, 3 do
          local key, limit, win = windows[i][1], windows[i][2], windows[i][3]
          if limit > 0 then
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now - win)
            local n = redis.call('ZCARD', key)
            if n >= limit then
              local at = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
              return {i, math.max(1, tonumber(at[2]) + win - now)}
            end
          end
        end
        for i = 1, 2 do
          local key, limit = slots[i][1], slots[i][2]
          if limit > 0 then
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
            if redis.call('ZCARD', key) >= limit then return {3 + i, 1000} end
          end
        end
        for i = 1, 3 do
          if windows[i][2] > 0 then
            redis.call('ZADD', windows[i][1], now, member)
            redis.call('PEXPIRE', windows[i][1], windows[i][3])
          end
        end
        for i = 1, 2 do
          if slots[i][2] > 0 then
            redis.call('ZADD', slots[i][1], now + lease, member)
            redis.call('PEXPIRE', slots[i][1], lease)
          end
        end
        return {0, 0}
        """;

    private const string Renew = """
        local t = redis.call('TIME')
        local until_ = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])
        for i = 1, #KEYS do
          if redis.call('ZADD', KEYS[i], 'XX', 'CH', until_, ARGV[1]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
        end
        return 0
        """;

    private static readonly LimitKind[] Kinds =
        [LimitKind.None, LimitKind.UserRate, LimitKind.KeyRate, LimitKind.GroupRate, LimitKind.UserConcurrency, LimitKind.KeyConcurrency];

    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<string, RedisKey[]> _held = new(StringComparer.Ordinal);
    private readonly RedisOutage _outage = new(logger, "request limits let requests through");
    private readonly CancellationTokenSource _stop = new();
    private long _sequence;
    private Task? _renewal;

    public async ValueTask<LimitDecision> AcquireAsync(LimitPlan plan, CancellationToken ct)
    {
        var user = redis.Key("limit:{" + plan.UserId + "}");
        var key = plan.KeyId is null ? user + ":nokey" : user + ":key:" + plan.KeyId;
        var member = _instance + ":" + Interlocked.Increment(ref _sequence);
        var keyRpm = plan.KeyId is null ? 0 : plan.KeyRpm;
        var keyConcurrency = plan.KeyId is null ? 0 : plan.KeyConcurrency;
        RedisKey[] keys = [user + ":rate", key + ":rate", user + ":group", user + ":conc", key + ":conc"];
        try
        {
            var db = await redis.DatabaseAsync();
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(Acquire, keys,
            [
                member, plan.UserRpm, keyRpm, plan.GroupLimit, (long)plan.GroupWindow.TotalMilliseconds, plan.UserConcurrency, keyConcurrency,
                (long)options.ConcurrencyLease.TotalMilliseconds,
            ]))!;
            var refused = (int)result[0];
            if (refused != 0) return LimitDecision.Refuse(Kinds[refused], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Report(e);
            return LimitDecision.Allow(default);
        }
        if (!plan.HoldsSlot) return LimitDecision.Allow(default);
        RedisKey[] slots = [keys[3], keys[4]];
        _held[member] = slots;
        return LimitDecision.Allow(new LimitLease(slots, member));
    }

    public void Release(in LimitLease lease)
    {
        if (lease is not { State: RedisKey[] slots, Member: { } member }) return;
        _held.TryRemove(member, out _);
        _ = ReleaseAsync(slots, member);
    }

    private async Task ReleaseAsync(RedisKey[] slots, string member)
    {
        try
        {
            var db = await redis.DatabaseAsync();
            foreach (var slot in slots) await db.SortedSetRemoveAsync(slot, member, CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Report(e); // the lease runs out by itself
        }
    }

    /// <summary>How many slots this instance holds now (tests read it).</summary>
    public int Held => _held.Count;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _renewal = RenewLoopAsync(_stop.Token);
        return Task.CompletedTask;
    }

    private async Task RenewLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.ConcurrencyLease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (_held.IsEmpty) continue;
                try
                {
                    var db = await redis.DatabaseAsync();
                    var lease = (long)options.ConcurrencyLease.TotalMilliseconds;
                    await Task.WhenAll(_held.Select(h => db.ScriptEvaluateAsync(Renew, h.Value, [h.Key, lease])));
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    _outage.Report(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_renewal is not null) await _renewal;
    }
}
