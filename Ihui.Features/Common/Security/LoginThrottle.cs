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
/// Failed logins counted per account and per client IP (in memory, per process). After too many failures in the
/// window the key is locked out and every attempt, right or wrong, is a 429 until the lockout ends.
/// </summary>
public sealed class LoginThrottle(LoginThrottleOptions options, TimeProvider clock, ILogger<LoginThrottle> logger)
{
    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset WindowStart;
        public DateTimeOffset LockedUntil;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Throws 429 when the account (<paramref name="scope"/> + name) or the IP is locked out.</summary>
    public void ThrowIfLocked(string scope, string account, string ip)
    {
        var now = clock.GetUtcNow();
        if (IsLocked(AccountKey(scope, account), now) || IsLocked(IpKey(scope, ip), now))
            throw ApiException.RateLimited("too many failed login attempts; try again later");
    }

    public void RecordFailure(string scope, string account, string ip)
    {
        var now = clock.GetUtcNow();
        if (Count(AccountKey(scope, account), options.MaxFailuresPerAccount, now))
            logger.LogWarning("Login locked for {Scope} account {Account} after repeated failures (last from {ClientIp})", scope, account, ip);
        if (Count(IpKey(scope, ip), options.MaxFailuresPerIp, now))
            logger.LogWarning("Login locked for {Scope} logins from {ClientIp} after repeated failures", scope, ip);
        if (_entries.Count > 50_000) Prune(now);
    }

    public void RecordSuccess(string scope, string account) => _entries.TryRemove(AccountKey(scope, account), out _);

    private bool IsLocked(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var e)) return false;
        lock (e) return e.LockedUntil > now;
    }

    /// <summary>Counts one failure; true when it locked the key.</summary>
    private bool Count(string key, int max, DateTimeOffset now)
    {
        var e = _entries.GetOrAdd(key, _ => new Entry { WindowStart = now });
        lock (e)
        {
            if (now - e.WindowStart > options.Window)
            {
                e.WindowStart = now;
                e.Failures = 0;
            }
            if (++e.Failures < max) return false;
            e.LockedUntil = now + options.Lockout;
            e.Failures = 0;
            e.WindowStart = now;
            return true;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, e) in _entries)
            lock (e)
                if (e.LockedUntil <= now && now - e.WindowStart > options.Window) _entries.TryRemove(key, out _);
    }

    private static string AccountKey(string scope, string account) => $"{scope}|a|{account.Trim().ToLowerInvariant()}";
    private static string IpKey(string scope, string ip) => $"{scope}|ip|{ip}";
}
