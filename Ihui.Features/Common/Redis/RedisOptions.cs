using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Ihui.Features.Common.Redis;

/// <summary>
/// <c>REDIS_URL</c> (<c>redis://[user:password@]host[:port][/db]</c>, <c>rediss://…</c> for TLS, or a StackExchange.Redis
/// configuration string) shares the limits, the login throttle and the task events between instances;
/// <c>REDIS_KEY_PREFIX</c> (default <c>ihui:</c>) names every key and channel, so several deployments can share a server.
/// </summary>
public sealed record RedisOptions(ConfigurationOptions? Configuration, string KeyPrefix)
{
    public bool Enabled => Configuration is not null;

    public static RedisOptions From(IConfiguration c)
    {
        var prefix = Setting.Text(c, "REDIS_KEY_PREFIX", "ihui:");
        if (prefix.Length > 64 || prefix.Any(char.IsWhiteSpace))
            throw Setting.Invalid("REDIS_KEY_PREFIX", prefix, "at most 64 characters, no spaces");
        return Setting.Text(c, "REDIS_URL") is { } url ? new RedisOptions(Parse(url), prefix) : new RedisOptions(null, prefix);
    }

    // The URL may hold a password: the message never repeats it.
    private static InvalidSettingException Invalid(string accepts) => new("REDIS_URL", $"REDIS_URL: {accepts}");

    public static ConfigurationOptions Parse(string url)
    {
        ConfigurationOptions options;
        if (url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
                throw Invalid("expected redis://[user:password@]host[:port][/db] (or rediss:// for TLS)");
            options = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
            options.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? 6379 : uri.Port);
            if (uri.UserInfo is { Length: > 0 } info)
            {
                var colon = info.IndexOf(':');
                var user = Uri.UnescapeDataString(colon < 0 ? "" : info[..colon]);
                var password = Uri.UnescapeDataString(colon < 0 ? info : info[(colon + 1)..]);
                if (user.Length > 0) options.User = user;
                if (password.Length > 0) options.Password = password;
            }
            var db = uri.AbsolutePath.Trim('/');
            if (db.Length > 0)
                options.DefaultDatabase = int.TryParse(db, out var n) && n >= 0
                    ? n
                    : throw Invalid("the path must be a database number (redis://host:6379/0)");
        }
        else
        {
            try
            {
                options = ConfigurationOptions.Parse(url);
            }
            catch (ArgumentException)
            {
                throw Invalid("expected redis://[user:password@]host[:port][/db] or a StackExchange.Redis configuration string");
            }
            if (options.EndPoints.Count == 0) throw Invalid("names no server");
        }
        // Start even when Redis is down; calls fail (and are handled) until it is back.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 3000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.ClientName ??= "ihui";
        return options;
    }
}
