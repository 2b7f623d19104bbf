using Ihui.Features.Common.Billing;

namespace Ihui.Features.Common.CallLog;

public static class CallStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string TimedOut = "timeout";
}

/// <summary>
/// The facts of one call, filled in by the behaviours (id, caller, money) and the adapter (vendor, model)
/// and written as one <c>calls</c> row by the call-log behaviour. One per DI scope.
/// </summary>
public sealed class CallContext
{
    public string CallId { get; private set; } = NewId();
    public string Route { get; set; } = "";
    public string? UserId { get; set; }
    public string? ChatId { get; set; }
    public string? Vendor { get; set; }
    public string? Model { get; set; }
    public Usage Usage { get; set; }
    public long Reserved { get; set; }
    public long Charged { get; set; }
    public string Status { get; set; } = CallStatus.Running;
    public int? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTime StartedAt { get; set; }

    /// <summary>Starts a fresh call in the same scope (a WebSocket connection runs many turns).</summary>
    public void Reset()
    {
        CallId = NewId();
        ChatId = Vendor = Model = ErrorMessage = null;
        ErrorCode = null;
        Usage = default;
        Reserved = Charged = 0;
        Status = CallStatus.Running;
    }

    private static string NewId() => Guid.CreateVersion7().ToString("N");
}
