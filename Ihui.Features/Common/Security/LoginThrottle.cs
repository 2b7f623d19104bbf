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
/// Failed logins counted per account and per client IP. After too many failures in the window the key is locked out
/// and every attempt, right or wrong, is a 429 until the lockout ends. The counts live in an
/// <see cref="ILoginAttemptStore"/>: this process's memory, or Redis (shared by every instance) when <c>REDIS_URL</c> is set.
/// </summary>
public sealed class LoginThrottle(LoginThrottleOptions options, ILoginAttemptStore store, ILogger<LoginThrottle> logger)
{
    /// <summary>Throws 429 when the account (<paramref name="scope"/> + name) or the IP is locked out.</summary>
    public async ValueTask ThrowIfLockedAsync(string scope, string account, string ip)
    {
        if (await store.IsLockedAsync(AccountKey(scope, account)) || await store.IsLockedAsync(IpKey(scope, ip)))
            throw ApiException.RateLimited("too many failed login attempts; try again later");
    }

    /// <summary>Password checks running at once: one per core.</summary>
    private static readonly SemaphoreSlim Turn = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>
    /// Checks a password in turn with the other sign-ins, one hash per core at a time, and counts a failure before the
    /// turn passes on. The lockout is checked again when the turn comes, so of a burst of parallel guesses those beyond
    /// the limit are refused (429), never evaluated; and the burst waits here without holding threads, instead of taking
    /// every pool thread for PBKDF2 and leaving the requests that hold database connections none to give them back on.
    /// </summary>
    public async ValueTask<bool> VerifyAsync(string scope, string account, string ip, string? hash, string password, CancellationToken ct)
    {
        await Turn.WaitAsync(ct);
        try
        {
            await ThrowIfLockedAsync(scope, account, ip);
            if (PasswordHashing.Verify(hash, password)) return true;
            await RecordFailureAsync(scope, account, ip);
            return false;
        }
        finally
        {
            Turn.Release();
        }
    }

    public async ValueTask RecordFailureAsync(string scope, string account, string ip)
    {
        if (await store.CountFailureAsync(AccountKey(scope, account), options.MaxFailuresPerAccount, options.Window, options.Lockout))
            logger.LogWarning("Login locked for {Scope} account {Account} after repeated failures (last from {ClientIp})", scope, account, ip);
        if (await store.CountFailureAsync(IpKey(scope, ip), options.MaxFailuresPerIp, options.Window, options.Lockout))
            logger.LogWarning("Login locked for {Scope} logins from {ClientIp} after repeated failures", scope, ip);
    }

    public ValueTask RecordSuccessAsync(string scope, string account) => store.ClearAsync(AccountKey(scope, account));

    private static string AccountKey(string scope, string account) => $"{scope}|a|{account.Trim().ToLowerInvariant()}";
    private static string IpKey(string scope, string ip) => $"{scope}|ip|{ip}";
}

/// <summary>Where failed logins are counted: per process by default, in Redis to share them between instances.</summary>
public interface ILoginAttemptStore
{
    ValueTask<bool> IsLockedAsync(string key);

    /// <summary>Counts one failure in a window that starts at the first; true when it reached <paramref name="max"/> and locked the key.</summary>
    ValueTask<bool> CountFailureAsync(string key, int max, TimeSpan window, TimeSpan lockout);

    /// <summary>Forgets the key's failures (a successful login).</summary>
    ValueTask ClearAsync(string key);
}

public sealed class MemoryLoginAttemptStore(TimeProvider clock) : ILoginAttemptStore
{
    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset WindowStart;
        public DateTimeOffset WindowEnd;
        public DateTimeOffset LockedUntil;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ValueTask<bool> IsLockedAsync(string key)
    {
        if (!_entries.TryGetValue(key, out var e)) return ValueTask.FromResult(false);
        lock (e) return ValueTask.FromResult(e.LockedUntil > clock.GetUtcNow());
    }

    public ValueTask<bool> CountFailureAsync(string key, int max, TimeSpan window, TimeSpan lockout)
    {
        var now = clock.GetUtcNow();
        var e = _entries.GetOrAdd(key, _ => new Entry { WindowStart = now, WindowEnd = now + window });
        bool locked;
        lock (e)
        {
            if (now > e.WindowEnd)
            {
                e.WindowStart = now;
                e.WindowEnd = now + window;
                e.Failures = 0;
            }
            locked = ++e.Failures >= max;
            if (locked)
            {
                e.LockedUntil = now + lockout;
                e.Failures = 0;
                e.WindowStart = now;
                e.WindowEnd = now + window;
            }
        }
        if (_entries.Count > 50_000) Prune(now);
        return ValueTask.FromResult(locked);
    }

    public ValueTask ClearAsync(string key)
    {
        _entries.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, e) in _entries)
            lock (e)
                if (e.LockedUntil <= now && now > e.WindowEnd) _entries.TryRemove(key, out _);
    }
}
