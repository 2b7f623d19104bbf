using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Suno;

namespace Ihui.Features.Suno.SunoGenerateMusic;

/// <summary>
/// Seed 000 HTTP #21 (<c>POST /suno/generate/music</c>): a song from a description. Asynchronous at the vendor: mapped when
/// the task engine is available. Suno takes no duration: <c>duration</c> is validated and otherwise ignored.
/// </summary>
public sealed record SunoGenerateMusicRequest
{
    public const string Route = "/suno/generate/music";
    public const string DefaultModel = "suno-v3";
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(15);

    public string? Prompt { get; init; }
    public string? Model { get; init; }
    public int? Duration { get; init; }
    public string? Style { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    public string EffectiveModel => string.IsNullOrWhiteSpace(Model) ? DefaultModel : Model;

    /// <summary>Priced per task (one submit) under the seed model's price row.</summary>
    public TaskSubmission ToSubmission(string? idempotencyKey = null) => new(
        SunoMusicTaskVendor.TaskKind, EffectiveModel, new Usage(0, 0),
        SunoMusicPayload.Build(EffectiveModel, Prompt!, Style), idempotencyKey, Deadline);
}
