using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeAudioRecognize;

/// <summary>Seed 000 HTTP #10, 通义千问音频识别: qwen3-asr-flash on an audio URL (§3f), billed per second of audio.</summary>
public sealed record DashScopeAudioRecognizeRequest : IRequest<DashScopeAudioRecognizeResult>, ILoggedCall, IUserUuidRequest, IBillable
{
    public const string DefaultModel = "qwen3-asr-flash";

    /// <summary>qwen3-asr-flash takes at most 5 minutes of audio: the hold covers that much.</summary>
    public const int MaxSeconds = 300;

    public static readonly string[] Languages = ["zh", "yue", "en", "ja", "ko", "de", "fr", "ru", "es", "it", "pt", "ar"];

    public static string Route => "/cozeZhsApi/dashscope/audio/recognize";

    public string? AudioUrl { get; init; }
    public string? Model { get; init; }
    public string? Language { get; init; }
    public string? SystemPrompt { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    public string EffectiveModel => string.IsNullOrEmpty(Model) ? DefaultModel : Model;
    string IBillable.PriceModel => EffectiveModel;
    public Usage EstimateUsage() => new(0, 0, Seconds: MaxSeconds);
}

public sealed record DashScopeAudioRecognizeResult(string Transcription, string? LanguageDetected, long TotalTokens, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
