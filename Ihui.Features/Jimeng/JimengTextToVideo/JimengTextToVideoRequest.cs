using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Jimeng;

namespace Ihui.Features.Jimeng.JimengTextToVideo;

/// <summary>
/// Seed 000 HTTP #19 (<c>POST /cozeZhsApi/proxy/volcengine/visual/jimeng_t2v_v30_1080p</c>): Jimeng 3.0 text-to-video, 1080p.
/// Asynchronous at the vendor: mapped when the task engine is available; <see cref="ToSubmission"/> is what the handler sends.
/// </summary>
public sealed record JimengTextToVideoRequest
{
    public const string Route = "/cozeZhsApi/proxy/volcengine/visual/jimeng_t2v_v30_1080p";
    public const string ReqKey = "jimeng_t2v_v30_1080p";
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(30);

    public string? Prompt { get; init; }
    public string? Model { get; init; }
    public int? Duration { get; init; }
    public string? Resolution { get; init; }
    /// <summary>Extension: one of Jimeng's t2v ratios (default 16:9).</summary>
    public string? AspectRatio { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    public int EffectiveDuration => Duration ?? 5;

    public TaskSubmission ToSubmission(string? idempotencyKey = null) => new(
        JimengVideoTaskVendor.TaskKind, ReqKey, new Usage(0, 0, Seconds: EffectiveDuration),
        JimengVideoPayload.Build(ReqKey, Prompt!, [], EffectiveDuration,
            AspectRatio is null ? null : new Dictionary<string, string> { ["aspect_ratio"] = AspectRatio }),
        idempotencyKey, Deadline);
}
