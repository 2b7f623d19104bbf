using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ihui.Features.DashScope.DashScopeVideoSynthesis;

/// <summary>
/// Frames of the video-synthesis socket. Server → client <c>type</c>: connected, task_created, progress,
/// video_synthesis_result, video_synthesis_failed, error, pong.
/// </summary>
public sealed record VideoFrame(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("data")] VideoFrameData? Data = null,
    [property: JsonPropertyName("code")] int? Code = null,
    [property: JsonPropertyName("message")] string? Message = null)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>On a 429 from Ihui's request limits: seconds until a request would be admitted.</summary>
    [JsonPropertyName("retry_after")]
    public int? RetryAfter { get; init; }

    public static VideoFrame Error(int code, string message, VideoFrameData? data = null) => new("error", data, code, message);

    public static VideoFrame Error(Common.Errors.ApiException e, VideoFrameData? data = null) => Error(e.Status, e.Message, data) with
    {
        RetryAfter = e.RetryAfter is { } r ? Math.Max(1, (int)Math.Ceiling(r.TotalSeconds)) : null,
    };
}

public sealed record VideoFrameData(
    [property: JsonPropertyName("task_id")] string? TaskId = null,
    [property: JsonPropertyName("status")] string? Status = null,
    [property: JsonPropertyName("progress")] int? Progress = null,
    [property: JsonPropertyName("chat_id")] string? ChatId = null,
    [property: JsonPropertyName("video_url")] string? VideoUrl = null,
    [property: JsonPropertyName("consume_token")] long? ConsumeToken = null,
    [property: JsonPropertyName("error")] string? Error = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null);
