using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Tasks;

namespace Ihui.Features.Tasks.PublicSocket;

/// <summary>
/// Server → client frames of the public socket. <c>event</c> is one of registered, progress, completed, failed,
/// error, pong; fields that do not apply are left out.
/// </summary>
public sealed record SocketFrame
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Event { get; init; }
    public string? UserUuid { get; init; }
    public string? ModelId { get; init; }
    public string? ChatId { get; init; }
    public string? TaskId { get; init; }
    public string? Kind { get; init; }
    public string? Status { get; init; }
    public int? Progress { get; init; }
    public IReadOnlyList<string>? ResultUrls { get; init; }
    public long? Charged { get; init; }
    public string? Error { get; init; }
    public int? Code { get; init; }
    public string? Msg { get; init; }

    public static SocketFrame Failure(int code, string msg) => new() { Event = "error", Code = code, Msg = msg };

    public static SocketFrame From(TaskEvent e)
    {
        var t = e.Task;
        var name = t.State == TaskState.Succeeded ? "completed" : t.State.IsTerminal() ? "failed" : "progress";
        return new SocketFrame
        {
            Event = name, TaskId = t.TaskId, Kind = e.Kind, ChatId = e.ChatId, Status = t.State.ToWire(), Progress = t.Progress,
            ResultUrls = name == "completed" ? t.ResultUrls : null,
            Charged = name == "completed" ? t.Charged : null,
            Error = name == "failed" ? t.Error ?? t.State.ToWire() : null,
        };
    }
}
