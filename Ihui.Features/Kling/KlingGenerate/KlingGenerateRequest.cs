using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Kling;
using Mediator;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Kling.KlingGenerate;

/// <summary>
/// Seed 000 HTTP #20 (<c>POST /cozeZhsApi/kling/generate/o1</c>): Kling text-to-video, a <c>kling.text2video</c> task.
/// The seed's model name is mapped to Kling's <c>model_name</c> by <c>KlingModels:&lt;model&gt;</c>
/// (built in: <c>kling-o1</c> → <see cref="DefaultUpstreamModel"/>).
/// </summary>
public sealed record KlingGenerateRequest : IRequest<TaskView>, ILoggedCall, IUserUuidRequest
{
    public static string Route => "/cozeZhsApi/kling/generate/o1";
    public const string DefaultModel = "kling-o1";
    /// <summary>
    /// Kling's O1 model (<c>kling-video-o1</c>) is served on <c>/v1/videos/omni-video</c> according to client code (unconfirmed),
    /// not on <c>text2video</c>; the built-in mapping therefore uses a text2video model. Operators may override it.
    /// </summary>
    public const string DefaultUpstreamModel = "kling-v2-6";

    public string? Prompt { get; init; }
    public string? Model { get; init; }
    public int? Duration { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }
    /// <summary>From the <c>Idempotency-Key</c> header.</summary>
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    public string EffectiveModel => string.IsNullOrWhiteSpace(Model) ? DefaultModel : Model;
    public int EffectiveDuration => Duration ?? 5;

    public static string? UpstreamModel(string model, IConfiguration configuration) =>
        configuration[$"KlingModels:{model}"] is { Length: > 0 } m ? m : model == DefaultModel ? DefaultUpstreamModel : null;

    /// <summary>Priced per second of video under the seed model's price row (<c>kling-o1</c>).</summary>
    public TaskSubmission ToSubmission(string upstreamModel, TimeSpan deadline) => new(
        KlingTextToVideoTaskVendor.TaskKind, EffectiveModel, new Usage(0, 0, Seconds: EffectiveDuration),
        KlingTextToVideoPayload.Build(upstreamModel, Prompt!, EffectiveDuration), IdempotencyKey, deadline);
}
