using System.Collections.Concurrent;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Security;

public sealed record LoginThrottleOptions
{
    public int MaxFailuresPerAccount { get; init; } = 5;
    public int MaxFailuresPerIp { get; init; } = 20;
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan Lockout { get; init; } = TimeSpan.FromMinutes(15);

    public static LoginThrottleOptions From(IConfiguration c) => new()
    {
        MaxFailuresPerAccount = Setting.Int(c, "LOGIN_MAX_FAILURES", 5, 1, 1_000_000),
        MaxFailuresPerIp = Setting.Int(c, "LOGIN_MAX_FAILURES_PER_IP", 20, 1, 1_000_000),
        Window = Setting.Seconds(c, "LOGIN_FAILURE_WINDOW_SECONDS", 900, 30 * 24 * 3600),
        Lockout = Setting.Seconds(c, "LOGIN_LOCKOUT_SECONDS", 900, 30 * 24 * 3600),
    };
}

/// <summary>
/// Failed logins counted per account and per client IP. An attempt is counted when it starts, before any database
/// work or password check: failures plus attempts still running may not exceed the limit, so a parallel burst of
/// guesses evaluates at most the limit's worth of passwords and the rest are 429 at once. After too many failures in
/// the window the key is locked out and every attempt, right or wrong, is a 429 until the lockout ends. The counts
/// live in an <see cref="ILoginAttemptStore"/>: this process's memory, or Redis (shared by every instance) when
/// <c>REDIS_URL</c> is set.
/// </summary>
public sealed class LoginThrottle(LoginThrottleOptions options, ILoginAttemptStore store, ILogger<LoginThrottle> logger)
{
    /// <summary>Counts the attempt on the account (<paramref name="scope"/> + name) and the IP; 429 when either is locked or full.</summary>
    public async ValueTask<LoginAttempt> BeginAsync(string scope, string account, string ip)
    {
        var accountKey = AccountKey(scope, account);
        var ipKey = IpKey(scope, ip);
        var onAccount = await store.TryBeginAsync(accountKey, options.MaxFailuresPerAccount, options.Window);
        if (!onAccount.Begun)
            throw Refused(onAccount.RetryAfter);
        var onIp = await store.TryBeginAsync(ipKey, options.MaxFailuresPerIp, options.Window);
        if (!onIp.Begun)
        {
            await store.AbandonAsync(accountKey);
            throw Refused(onIp.RetryAfter);
        }
        return new LoginAttempt(this, scope, account, ip, accountKey, ipKey);
    }

    private static ApiException Refused(TimeSpan retryAfter) =>
        ApiException.RateLimited("too many failed login attempts; try again later", retryAfter);

    private async ValueTask FailAsync(LoginAttempt a)
    {
        if (await store.FailAsync(a.AccountKey, options.MaxFailuresPerAccount, options.Window, options.Lockout))
            logger.LogWarning("Login locked for {Scope} account {Account} after repeated failures (last from {ClientIp})", a.Scope, a.Account, a.Ip);
        if (await store.FailAsync(a.IpKey, options.MaxFailuresPerIp, options.Window, options.Lockout))
            logger.LogWarning("Login locked for {Scope} logins from {ClientIp} after repeated failures", a.Scope, a.Ip);
    }

    private async ValueTask SucceedAsync(LoginAttempt a)
    {
        await store.ClearAsync(a.AccountKey);
        await store.AbandonAsync(a.IpKey);
    }

    private async ValueTask AbandonAsync(LoginAttempt a)
    {
        await store.AbandonAsync(a.AccountKey);
        await store.AbandonAsync(a.IpKey);
    }

    private static string AccountKey(string scope, string account) => $"{scope}|a|{account.Trim().ToLowerInvariant()}";
    private static string IpKey(string scope, string ip) => $"{scope}|ip|{ip}";

    /// <summary>
    /// One counted attempt: end it with <see cref="FailedAsync"/> or <see cref="SucceededAsync"/>. Disposed without
    /// either (an error before the password was judged), it is taken back, neither a failure nor a success.
    /// </summary>
    public sealed class LoginAttempt(LoginThrottle throttle, string scope, string account, string ip, string accountKey, string ipKey) : IAsyncDisposable
    {
        private bool _ended;
        internal string Scope => scope;
        internal string Account => account;
        internal string Ip => ip;
        internal string AccountKey => accountKey;
        internal string IpKey => ipKey;

        public ValueTask FailedAsync()
        {
            _ended = true;
            return throttle.FailAsync(this);
        }

        public ValueTask SucceededAsync()
        {
            _ended = true;
            return throttle.SucceedAsync(this);
        }

        public ValueTask DisposeAsync() => _ended ? ValueTask.CompletedTask : throttle.AbandonAsync(this);
    }
}

/// <summary>
/// Whether an attempt was counted; if not, how long until the key may try again: the rest of its lockout, or a moment
/// when attempts still running fill the limit (they end within a password check).
/// </summary>
public readonly record struct LoginAdmission(bool Begun, TimeSpan RetryAfter)
{
    public static readonly LoginAdmission Counted = new(true, TimeSpan.Zero);
    public static readonly TimeSpan WhileOthersRun = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Where login attempts are counted: per process by default, in Redis to share them between instances. A key's
/// window starts at its first counted attempt; failures and attempts still running both count against the limit.
/// </summary>
public interface ILoginAttemptStore
{
    /// <summary>Counts one running attempt unless the key is locked or failures + running attempts already reach <paramref name="max"/>.</summary>
    ValueTask<LoginAdmission> TryBeginAsync(string key, int max, TimeSpan window);

    /// <summary>The running attempt failed: it stays counted as a failure; true when that reached <paramref name="max"/> and locked the key.</summary>
    ValueTask<bool> FailAsync(string key, int max, TimeSpan window, TimeSpan lockout);

    /// <summary>The running attempt ended without a failure: it is no longer counted.</summary>
    ValueTask AbandonAsync(string key);

    /// <summary>Forgets the key's failures and running attempts (a successful login); a lockout stays.</summary>
    ValueTask ClearAsync(string key);
}

public sealed class MemoryLoginAttemptStore(TimeProvider clock) : ILoginAttemptStore
{
    private sealed class Entry
    {
        public int Failures;
        public int Running;
        public DateTimeOffset WindowEnd;
        public DateTimeOffset LockedUntil;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ValueTask<LoginAdmission> TryBeginAsync(string key, int max, TimeSpan window)
    {
        var now = clock.GetUtcNow();
        var e = _entries.GetOrAdd(key, static _ => new Entry());
        LoginAdmission admission;
        lock (e)
        {
            if (now > e.WindowEnd) (e.Failures, e.Running, e.WindowEnd) = (0, 0, now + window);
            admission = e.LockedUntil > now ? new(false, e.LockedUntil - now)
                : e.Failures + e.Running >= max ? new(false, LoginAdmission.WhileOthersRun)
                : LoginAdmission.Counted;
            if (admission.Begun) e.Running++;
        }
        if (_entries.Count > 50_000) Prune(now);
        return ValueTask.FromResult(admission);
    }

    public ValueTask<bool> FailAsync(string key, int max, TimeSpan window, TimeSpan lockout)
    {
        var now = clock.GetUtcNow();
        var e = _entries.GetOrAdd(key, static _ => new Entry());
        lock (e)
        {
            if (now > e.WindowEnd) (e.Failures, e.Running, e.WindowEnd) = (0, 1, now + window);
            if (e.Running > 0) e.Running--;
            if (++e.Failures < max) return ValueTask.FromResult(false);
            e.LockedUntil = now + lockout;
            e.Failures = 0;
            e.WindowEnd = now + window;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask AbandonAsync(string key)
    {
        if (_entries.TryGetValue(key, out var e))
            lock (e)
                if (e.Running > 0) e.Running--;
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearAsync(string key)
    {
        if (_entries.TryGetValue(key, out var e))
            lock (e)
                (e.Failures, e.Running) = (0, 0);
        return ValueTask.CompletedTask;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, e) in _entries)
            lock (e)
                if (e.LockedUntil <= now && now > e.WindowEnd && e.Running == 0) _entries.TryRemove(key, out _);
    }
}
