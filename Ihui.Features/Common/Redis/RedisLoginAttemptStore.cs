using Ihui.Features.Common.Security;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ihui.Features.Common.Redis;

/// <summary>
/// Login attempts counted in Redis, so a lockout holds on every instance. Each key is a hash of failures (<c>f</c>)
/// and running attempts (<c>r</c>) that expires with its window, plus a lock key; every step is one atomic script.
/// When Redis cannot be reached the attempt is let through and logged: the password check still stands, only the
/// lockout is missing until Redis is back.
/// </summary>
public sealed class RedisLoginAttemptStore(RedisConnection redis, ILogger<RedisLoginAttemptStore> logger) : ILoginAttemptStore
{
    private static readonly LuaScript Begin = LuaScript.Prepare("""
        local locked = redis.call('PTTL', @lock)
        if locked > 0 then return locked end
        local f = tonumber(redis.call('HGET', @counts, 'f') or '0')
        local r = tonumber(redis.call('HGET', @counts, 'r') or '0')
        if f + r >= tonumber(@max) then return -1 end
        local fresh = redis.call('EXISTS', @counts) == 0
        redis.call('HINCRBY', @counts, 'r', 1)
        if fresh then redis.call('PEXPIRE', @counts, tonumber(@window)) end
        return 0
        """);

    private static readonly LuaScript Fail = LuaScript.Prepare("""
        if tonumber(redis.call('HGET', @counts, 'r') or '0') > 0 then redis.call('HINCRBY', @counts, 'r', -1) end
        local fresh = redis.call('EXISTS', @counts) == 0
        local f = redis.call('HINCRBY', @counts, 'f', 1)
        if fresh then redis.call('PEXPIRE', @counts, tonumber(@window)) end
        if f >= tonumber(@max) then
          redis.call('SET', @lock, '1', 'PX', tonumber(@lockout))
          redis.call('HSET', @counts, 'f', 0)
          return 1
        end
        return 0
        """);

    private static readonly LuaScript Abandon = LuaScript.Prepare("""
        if tonumber(redis.call('HGET', @counts, 'r') or '0') > 0 then redis.call('HINCRBY', @counts, 'r', -1) end
        return 0
        """);

    private readonly RedisOutage _outage = new(logger, "the login throttle lets attempts through");

    private RedisKey Counts(string key) => redis.Key("login:count:" + key);
    private RedisKey Lock(string key) => redis.Key("login:lock:" + key);

    /// <summary>The script answers 0 when counted, the lock's remaining milliseconds when locked, -1 when full.</summary>
    public async ValueTask<LoginAdmission> TryBeginAsync(string key, int max, TimeSpan window)
    {
        try
        {
            var result = (long)await (await redis.DatabaseAsync()).ScriptEvaluateAsync(Begin, new
            {
                counts = Counts(key), @lock = Lock(key), max, window = (long)window.TotalMilliseconds,
            });
            return result switch
            {
                0 => LoginAdmission.Counted,
                > 0 => new(false, TimeSpan.FromMilliseconds(result)),
                _ => new(false, LoginAdmission.WhileOthersRun),
            };
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Report(e);
            return LoginAdmission.Counted;
        }
    }

    public async ValueTask<bool> FailAsync(string key, int max, TimeSpan window, TimeSpan lockout)
    {
        try
        {
            var result = await (await redis.DatabaseAsync()).ScriptEvaluateAsync(Fail, new
            {
                counts = Counts(key), @lock = Lock(key), max,
                window = (long)window.TotalMilliseconds, lockout = (long)lockout.TotalMilliseconds,
            });
            return (long)result == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Report(e);
            return false;
        }
    }

    public async ValueTask AbandonAsync(string key)
    {
        try
        {
            await (await redis.DatabaseAsync()).ScriptEvaluateAsync(Abandon, new { counts = Counts(key) });
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Report(e);
        }
    }

    public async ValueTask ClearAsync(string key)
    {
        try
        {
            await (await redis.DatabaseAsync()).KeyDeleteAsync(Counts(key));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Report(e);
        }
    }
}

/// <summary>One warning per half minute while Redis is out, not one per request.</summary>
internal sealed class RedisOutage(ILogger logger, string consequence)
{
    private long _nextReport;

    public void Report(Exception e)
    {
        var now = Environment.TickCount64;
        var due = Interlocked.Read(ref _nextReport);
        if (now < due || Interlocked.CompareExchange(ref _nextReport, now + 30_000, due) != due) return;
        logger.LogWarning("Redis is unavailable, {Consequence}: {Error}", consequence, e.Message);
    }
}
