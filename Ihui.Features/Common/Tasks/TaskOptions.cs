using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Tasks;

/// <summary>Task engine timings, read from configuration (seconds unless named otherwise).</summary>
public sealed record TaskOptions
{
    /// <summary>Runs the background poller in this instance (<c>TASK_POLLER_ENABLED</c>, default true).</summary>
    public bool PollerEnabled { get; init; } = true;
    /// <summary>How often the poller looks for due tasks.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>First poll after submit and the base of the back-off.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The back-off never waits longer than this between polls.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a claimed task stays with its poller; a dead poller's task is taken over after this.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Consecutive failed polls (transport errors, garbage) before the task fails and is refunded.</summary>
    public int MaxPollErrors { get; init; } = 10;
    /// <summary>The hold outlives the deadline by this much, so the hold sweeper never releases a live task's money.</summary>
    public TimeSpan HoldMargin { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>How long an HTTP slice waits for the result before answering with the task id (<c>TASK_WAIT_SECONDS</c>).</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Default deadline of a task (<c>TASK_DEADLINE_SECONDS</c>).</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>Tasks claimed per scan.</summary>
    public int BatchSize { get; init; } = 20;

    public static TaskOptions From(IConfiguration c)
    {
        const double Day = 24 * 3600;
        var d = new TaskOptions();
        return new TaskOptions
        {
            PollerEnabled = Setting.Bool(c, "TASK_POLLER_ENABLED", d.PollerEnabled),
            ScanInterval = Setting.Milliseconds(c, "TASK_SCAN_INTERVAL_MS", d.ScanInterval.TotalMilliseconds, 3_600_000),
            PollInterval = Setting.Seconds(c, "TASK_POLL_INTERVAL_SECONDS", d.PollInterval.TotalSeconds, Day, allowZero: true),
            MaxPollInterval = Setting.Seconds(c, "TASK_POLL_MAX_INTERVAL_SECONDS", d.MaxPollInterval.TotalSeconds, Day, allowZero: true),
            Lease = Setting.Seconds(c, "TASK_LEASE_SECONDS", d.Lease.TotalSeconds, Day, allowZero: true),
            MaxPollErrors = Setting.Int(c, "TASK_MAX_POLL_ERRORS", d.MaxPollErrors, 1, 1_000_000),
            HoldMargin = Setting.Seconds(c, "TASK_HOLD_MARGIN_SECONDS", d.HoldMargin.TotalSeconds, 30 * Day, allowZero: true),
            Wait = Setting.Seconds(c, "TASK_WAIT_SECONDS", d.Wait.TotalSeconds, Day, allowZero: true),
            Deadline = Setting.Seconds(c, "TASK_DEADLINE_SECONDS", d.Deadline.TotalSeconds, 30 * Day, allowZero: true),
            BatchSize = Setting.Int(c, "TASK_BATCH_SIZE", d.BatchSize, 1, 10_000),
        };
    }

    /// <summary>Back-off: the base interval grows by half each poll, capped.</summary>
    public TimeSpan NextPollAfter(int polls)
    {
        var factor = Math.Pow(1.5, Math.Min(polls, 20));
        var next = TimeSpan.FromMilliseconds(PollInterval.TotalMilliseconds * factor);
        return next < MaxPollInterval ? next : MaxPollInterval;
    }
}
