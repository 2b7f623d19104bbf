using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Jimeng;
using Mediator;

namespace Ihui.Features.Jimeng.JimengImageToVideo;

/// <summary>
/// Seed 000 HTTP #16–#18 (<c>POST /cozeZhsApi/proxy/volcengine/visual/images/{req_key}</c>): Jimeng 3.0 image-to-video,
/// a <c>jimeng.video</c> task; the req_key in the path decides the vendor model.
/// </summary>
public sealed record JimengImageToVideoRequest : IRequest<TaskView>, ILoggedCall, IUserUuidRequest
{
    public static string Route => "/cozeZhsApi/proxy/volcengine/visual/images/{req_key}";
    public static readonly IReadOnlyList<string> ReqKeys = ["jimeng_i2v_first_tail_v30", "jimeng_i2v_first_v30", "jimeng_i2v_recamera_v30"];

    /// <summary>From the route.</summary>
    [JsonIgnore] public string? ReqKey { get; init; }
    public string? Prompt { get; init; }
    /// <summary>The seed's names (<c>jimeng-i2v-tail</c> …) are labels only; the req_key in the route decides the vendor model.</summary>
    public string? Model { get; init; }
    public string? ImageUrl { get; init; }
    /// <summary>Extension: first + last frame (<c>jimeng_i2v_first_tail_v30</c>) needs two images; the seed has one field.</summary>
    public IReadOnlyList<string>? ImageUrls { get; init; }
    /// <summary>Accepted for seed compatibility; image-to-video takes its frame size from the image.</summary>
    public string? Size { get; init; }
    public int? Duration { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }
    /// <summary>From the <c>Idempotency-Key</c> header.</summary>
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    public IReadOnlyList<string> Images => [.. (ImageUrl is { Length: > 0 } one ? [one] : Array.Empty<string>()), .. ImageUrls ?? []];
    public int EffectiveDuration => Duration ?? 5;

    /// <summary>Priced per second of video under the req_key's price row.</summary>
    public TaskSubmission ToSubmission(TimeSpan deadline) => new(
        JimengVideoTaskVendor.TaskKind, ReqKey!, new Usage(0, 0, Seconds: EffectiveDuration),
        JimengVideoPayload.Build(ReqKey!, Prompt!, Images, EffectiveDuration), IdempotencyKey, deadline);
}
