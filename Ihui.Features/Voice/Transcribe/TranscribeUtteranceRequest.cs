using Ihui.Features.Voice.Audio;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Voice.Transcribe;

/// <summary>
/// The spoken question to text (DashScope ASR), billed per second of audio: the hold covers the clip's length
/// (or the longest clip taken, when its length is unknown); the vendor's count is settled.
/// </summary>
public abstract record TranscribeUtteranceRequest(string? ApiKey, string SessionId, string Model, AudioClip Clip, Uri? PublicUrl, int MaxSeconds)
    : IRequest<TranscribeUtteranceResult>, IAuthenticatedRequest, IBillable
{
    public Credential Credential => new(CredentialKind.ApiKey, ApiKey);
    public string? ChatId => SessionId;
    string IBillable.PriceModel => Model;
    public Usage EstimateUsage() => new(0, 0, Seconds: Math.Ceiling((decimal)(Clip.Seconds ?? MaxSeconds)));
}

public sealed record TranscribeAudioSocketRequest(string? ApiKey, string SessionId, string Model, AudioClip Clip, Uri? PublicUrl, int MaxSeconds)
    : TranscribeUtteranceRequest(ApiKey, SessionId, Model, Clip, PublicUrl, MaxSeconds), ILoggedCall
{
    public static string Route => "/v1/chat/audio";
}

public sealed record TranscribeVlmSocketRequest(string? ApiKey, string SessionId, string Model, AudioClip Clip, Uri? PublicUrl, int MaxSeconds)
    : TranscribeUtteranceRequest(ApiKey, SessionId, Model, Clip, PublicUrl, MaxSeconds), ILoggedCall
{
    public static string Route => "/v1/chat/vlm";
}

public sealed record TranscribeUtteranceResult(string Text, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
