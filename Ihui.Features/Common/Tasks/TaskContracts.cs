using System.Text.Json;
using Ihui.Features.Common.Billing;

namespace Ihui.Features.Common.Tasks;

/// <summary>A task's state, normalised across vendors (vendor-protocols.md, "Cross-vendor async status map").</summary>
public enum TaskState { Queued, Running, Succeeded, Failed, Cancelled, Expired }

public static class TaskStates
{
    public static string ToWire(this TaskState state) => state switch
    {
        TaskState.Queued => "queued",
        TaskState.Running => "running",
        TaskState.Succeeded => "succeeded",
        TaskState.Failed => "failed",
        TaskState.Cancelled => "cancelled",
        TaskState.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static bool IsTerminal(this TaskState state) => state >= TaskState.Succeeded;

    public static TaskState FromWire(string status) => status switch
    {
        "queued" => TaskState.Queued,
        "running" => TaskState.Running,
        "succeeded" => TaskState.Succeeded,
        "failed" => TaskState.Failed,
        "cancelled" => TaskState.Cancelled,
        "expired" => TaskState.Expired,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown task status"),
    };
}

/// <summary>What a vendor said about one of its tasks when polled.</summary>
public sealed record VendorTaskSnapshot(
    TaskState State,
    int? Progress = null,
    IReadOnlyList<string>? ResultUrls = null,
    Usage? Usage = null,
    string? Error = null);

/// <summary>
/// One vendor's asynchronous protocol (create + query), called by the task engine. Implementations live with the
/// vendor's client under <c>Common/Vendors/&lt;Vendor&gt;/</c> and are registered as <c>ITaskVendor</c>;
/// <see cref="Kind"/> is the stable name stored with each task (e.g. <c>ark.seedance</c>, <c>kling.video</c>).
/// The payload is the slice's vendor request as JSON, stored with the task so a restarted poller can query again.
/// Transport failures are thrown as <c>ApiException</c> (via <c>VendorHttp</c>) so the engine can retry or fail.
/// </summary>
public interface ITaskVendor
{
    string Kind { get; }

    /// <summary>Creates the vendor task on one of the vendor's channels (failing over before one accepts it).</summary>
    Task<VendorTaskRef> SubmitAsync(JsonElement payload, CancellationToken ct);

    /// <summary>Queries the vendor task on the channel that accepted it; maps the vendor's states to <see cref="TaskState"/>.</summary>
    Task<VendorTaskSnapshot> PollAsync(VendorTaskRef task, JsonElement payload, CancellationToken ct);
}

/// <summary>
/// A vendor task: its id at the vendor and the channel (upstream account) that accepted it, which every poll must go
/// back to; <see cref="ChannelId"/> null = the vendor's default channel (tasks created before channels were recorded).
/// </summary>
public sealed record VendorTaskRef(string TaskId, string? ChannelId);

/// <summary>
/// What a slice asks of the task engine. <see cref="WorstCase"/> is priced with <see cref="PriceModel"/> and held
/// until the task settles (success: the vendor's usage, or the worst case when it reports none) or is refunded
/// (failure, expiry, <see cref="Deadline"/> passed).
/// </summary>
public sealed record TaskSubmission(
    string Kind,
    string PriceModel,
    Usage WorstCase,
    JsonElement Payload,
    string? IdempotencyKey,
    TimeSpan Deadline);

/// <summary>A task as the caller sees it.</summary>
public sealed record TaskView(
    string TaskId,
    TaskState State,
    int Progress,
    IReadOnlyList<string> ResultUrls,
    string? Error,
    long Reserved,
    long Charged);

/// <summary>The slice-facing side of the task engine; the caller is the scope's authenticated user.</summary>
public interface ITaskSubmitter
{
    /// <summary>Reserves, creates the vendor task and stores it; with a known idempotency key returns the existing task.</summary>
    Task<TaskView> SubmitAsync(TaskSubmission submission, CancellationToken ct);

    /// <summary>Waits up to <paramref name="max"/> for a terminal state; returns the latest view either way.</summary>
    Task<TaskView> WaitAsync(string taskId, TimeSpan max, CancellationToken ct);
}
