using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Vendors.Channels;

/// <summary>
/// Failover and circuit-breaker settings: <c>CHANNEL_MAX_TRIES</c> (channels tried per call, default 3),
/// <c>CHANNEL_BREAKER_FAILURES</c> failures within <c>CHANNEL_BREAKER_WINDOW_SECONDS</c> take a channel out for
/// <c>CHANNEL_BREAKER_COOLDOWN_SECONDS</c>, and <c>CHANNEL_REFRESH_SECONDS</c> is how often an instance re-reads the
/// channels table (changes made on this instance apply at once).
/// </summary>
public sealed record ChannelSettings(int MaxTries, int BreakerFailures, TimeSpan BreakerWindow, TimeSpan BreakerCooldown, TimeSpan Refresh)
{
    public static ChannelSettings From(IConfiguration c) => new(
        Setting.Int(c, "CHANNEL_MAX_TRIES", 3, 1, 10),
        Setting.Int(c, "CHANNEL_BREAKER_FAILURES", 5, 1, 1000),
        Setting.Seconds(c, "CHANNEL_BREAKER_WINDOW_SECONDS", 60, 3600),
        Setting.Seconds(c, "CHANNEL_BREAKER_COOLDOWN_SECONDS", 30, 3600),
        Setting.Seconds(c, "CHANNEL_REFRESH_SECONDS", 10, 3600));
}

public static class ChannelNames
{
    /// <summary>The channel a vendor's environment variables configure.</summary>
    public const string Default = "default";

    /// <summary>The id of the row that holds an admin's settings for a vendor's default channel.</summary>
    public static string EnvironmentId(string vendor) => "env-" + vendor;
}
