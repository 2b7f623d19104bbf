using Ihui.Features.Common.Security;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ihui.Features.Common.Redis;

/// <summary>
/// Failed logins counted in Redis, so a lockout holds on every instance. Each failure is one atomic script (count,
/// and lock when the count is reached). When Redis cannot be reached the attempt is let through and logged: the
/// password check still stands, only the lockout is missing until Redis is back.
/// </summary>
public sealed class RedisLoginAttemptStore(RedisConnection redis, ILogger<RedisLoginAttemptStore> logger) : ILoginAttemptStore
{
    private static readonly LuaScript Count = LuaScript.Prepare("""
        local n = redis.call('INCR', @failures)
        if n == 1 then redis.call('PEXPIRE', @failures, tonumber(@window)) end
        if n >= tonumber(@max) then
          redis.call('SET', @lock, '1', 'PX', tonumber(@lockout))
          redis.call('DEL', @failures)
          return 1
        end
        return 0
        """);

    private readonly RedisOutage _outage = new(logger, "the login throttle lets attempts through");

    public async ValueTask<bool> IsLockedAsync(string key)
    {
        try
        {
            return await (await redis.DatabaseAsync()).KeyExistsAsync(redis.Key("login:lock:" + key));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _outage.Report(e);
            return false;
        }
    }

    public async ValueTask<bool> CountFailureAsync(string key, int max, TimeSpan window, TimeSpan lockout)
    {
        try
        {
            var result = await (await redis.DatabaseAsync()).ScriptEvaluateAsync(Count, new
            {
                failures = (RedisKey)redis.Key("login:fail:" + key), @lock = (RedisKey)redis.Key("login:lock:" + key), max,
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

    public async ValueTask ClearAsync(string key)
    {
        try
        {
            await (await redis.DatabaseAsync()).KeyDeleteAsync(redis.Key("login:fail:" + key));
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
