using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Jimeng;
using Mediator;

namespace Ihui.Features.Jimeng.JimengTextToVideo;

/// <summary>Seed 000 HTTP #19 (<c>POST /cozeZhsApi/proxy/volcengine/visual/jimeng_t2v_v30_1080p</c>): Jimeng 3.0 text-to-video, 1080p, a <c>jimeng.video</c> task.</summary>
public sealed record JimengTextToVideoRequest : IRequest<TaskView>, ILoggedCall, IUserUuidRequest
{
    public static string Route => "/cozeZhsApi/proxy/volcengine/visual/jimeng_t2v_v30_1080p";
    public const string ReqKey = "jimeng_t2v_v30_1080p";

    public string? Prompt { get; init; }
    public string? Model { get; init; }
    public int? Duration { get; init; }
    public string? Resolution { get; init; }
    /// <summary>Extension: one of Jimeng's t2v ratios (default 16:9).</summary>
    public string? AspectRatio { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }
    /// <summary>From the <c>Idempotency-Key</c> header.</summary>
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    public int EffectiveDuration => Duration ?? 5;

    public TaskSubmission ToSubmission(TimeSpan deadline) => new(
        JimengVideoTaskVendor.TaskKind, ReqKey, new Usage(0, 0, Seconds: EffectiveDuration),
        JimengVideoPayload.Build(ReqKey, Prompt!, [], EffectiveDuration,
            AspectRatio is null ? null : new Dictionary<string, string> { ["aspect_ratio"] = AspectRatio }),
        IdempotencyKey, deadline);
}
