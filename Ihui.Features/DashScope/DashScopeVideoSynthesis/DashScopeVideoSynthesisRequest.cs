using System.Text.Json.Serialization;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeVideoSynthesis;

/// <summary>
/// Seed 000 #11, 通义千问视频合成: one <c>video_synthesis</c> frame of the WebSocket becomes a wan text-to-video task (§3e).
/// The user comes from the connection's <c>user_uuid</c>.
/// </summary>
public sealed record DashScopeVideoSynthesisRequest : IRequest<TaskView>, ILoggedCall, IUserUuidRequest
{
    public const string DefaultModel = "wan2.5-t2v-preview";
    public static readonly string[] Sizes = ["1280*720", "720*1280", "832*480", "480*832", "1920*1080", "1080*1920"];
    public static readonly int[] Durations = [5, 10];

    public static string Route => "/cozeZhsApi/dashscope/video-synthesis/ws";

    public string? Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public string? ChatId { get; init; }
    public string? Size { get; init; }
    public int? Duration { get; init; }
    [JsonIgnore] public string? UserUuid { get; init; }

    public int Seconds => Duration ?? Durations[0];
}
