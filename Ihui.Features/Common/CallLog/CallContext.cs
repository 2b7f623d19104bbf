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

    /// <summary>Every vendor try of the call, in order, as <c>channel=outcome</c> joined by commas (e.g. <c>backup=server_error,default=ok</c>).</summary>
    public string? Channels { get; private set; }

    public void AddTry(string channel, string outcome)
    {
        var entry = channel + "=" + outcome;
        Channels = Channels is null ? entry : Channels.Length > 400 ? Channels : Channels + "," + entry;
    }

    private static readonly AsyncLocal<CallContext?> CurrentCall = new();

    /// <summary>
    /// The call being run on this async flow, set by the call-log behaviours; vendor routing (a singleton below the
    /// slices) records its tries here. Null outside a call (task pollers, admin tests).
    /// </summary>
    public static CallContext? Current
    {
        get => CurrentCall.Value;
        set => CurrentCall.Value = value;
    }

    /// <summary>Starts a fresh call in the same scope (a WebSocket connection runs many turns).</summary>
    public void Reset()
    {
        CallId = NewId();
        ChatId = Vendor = Model = ErrorMessage = Channels = null;
        ErrorCode = null;
        Usage = default;
        Reserved = Charged = 0;
        Status = CallStatus.Running;
    }

    private static string NewId() => Guid.CreateVersion7().ToString("N");
}
