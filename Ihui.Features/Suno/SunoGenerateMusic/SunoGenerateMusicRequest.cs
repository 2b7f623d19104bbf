using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Suno;
using Mediator;

namespace Ihui.Features.Suno.SunoGenerateMusic;

/// <summary>
/// Seed 000 HTTP #21 (<c>POST /suno/generate/music</c>): a song from a description, a <c>suno.music</c> task.
/// Suno takes no duration: <c>duration</c> is validated and otherwise ignored.
/// </summary>
public sealed record SunoGenerateMusicRequest : IRequest<TaskView>, ILoggedCall, IUserUuidRequest
{
    public static string Route => "/suno/generate/music";
    public const string DefaultModel = "suno-v3";

    public string? Prompt { get; init; }
    public string? Model { get; init; }
    public int? Duration { get; init; }
    public string? Style { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }
    /// <summary>From the <c>Idempotency-Key</c> header.</summary>
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    public string EffectiveModel => string.IsNullOrWhiteSpace(Model) ? DefaultModel : Model;

    /// <summary>Priced per task (one submit) under the seed model's price row.</summary>
    public TaskSubmission ToSubmission(TimeSpan deadline) => new(
        SunoMusicTaskVendor.TaskKind, EffectiveModel, new Usage(0, 0),
        SunoMusicPayload.Build(EffectiveModel, Prompt!, Style), IdempotencyKey, deadline);
}
