using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Billing.Leases;

/// <summary>How balance leases and the billing journal behave (README, "Billing"; docs/billing-leases.md).</summary>
public sealed record LeaseOptions
{
    /// <summary>Off: every call is billed per call (hold and settle each a write), as before leases.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The journal's flush period; a flush also starts once <see cref="FlushCalls"/> entries wait.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(5);
    public int FlushCalls { get; init; } = 256;

    /// <summary>sync: a response waits for the flush that carries its charge (group commit).</summary>
    public bool SyncDurability { get; init; }

    /// <summary>The smallest lease: a user whose balance cannot cover it is billed per call.</summary>
    public long MinTokens { get; init; } = 1_000;
    public long MaxTokens { get; init; } = 1_000_000;

    /// <summary>A lease with no call for this long is returned to the balance.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lease lives on disk without its instance renewing it; after that the sweeper returns it.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>This process, as written on its leases' rows.</summary>
    public string InstanceId { get; init; } = Guid.NewGuid().ToString();

    public static LeaseOptions From(IConfiguration c)
    {
        var min = Setting.Long(c, "BILLING_LEASE_MIN_TOKENS", 1_000, 1, long.MaxValue / 4);
        var options = new LeaseOptions
        {
            Enabled = Setting.Bool(c, "BILLING_LEASES", true),
            FlushInterval = Setting.Milliseconds(c, "BILLING_FLUSH_MS", 5, 10_000),
            FlushCalls = Setting.Int(c, "BILLING_FLUSH_CALLS", 256, 1, 10_000),
            SyncDurability = Setting.OneOf(c, "BILLING_DURABILITY", "async", "async", "sync") == "sync",
            MinTokens = min,
            MaxTokens = Setting.Long(c, "BILLING_LEASE_MAX_TOKENS", Math.Max(1_000_000, min), 1, long.MaxValue / 4),
            Idle = Setting.Seconds(c, "BILLING_LEASE_IDLE_SECONDS", 5, 24 * 3600),
            Ttl = Setting.Seconds(c, "BILLING_LEASE_TTL_SECONDS", 60, 24 * 3600),
        };
        if (options.MaxTokens < options.MinTokens)
            throw Setting.Invalid("BILLING_LEASE_MAX_TOKENS", options.MaxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"expected at least BILLING_LEASE_MIN_TOKENS ({options.MinTokens})");
        if (options.Ttl < TimeSpan.FromSeconds(1))
            throw Setting.Invalid("BILLING_LEASE_TTL_SECONDS", options.Ttl.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "expected at least 1");
        return options;
    }
}
