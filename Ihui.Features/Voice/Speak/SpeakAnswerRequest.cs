using System.Threading.Channels;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Voice.Speak;

/// <summary>
/// The answer spoken as it streams: sentences come in on <see cref="Sentences"/> while the answer is still being
/// written; MP3 comes out. Billed per character spoken and/or per second of speech (whichever the TTS model's price
/// sets): the hold covers the longest answer, each chunk reports the running total, so a turn cut short pays for
/// what was produced.
/// </summary>
public abstract record SpeakAnswerRequest(string? ApiKey, string SessionId, string Model, ChannelReader<string> Sentences, int MaxChars)
    : IStreamRequest<SpeechChunk>, IAuthenticatedRequest, IBillable
{
    /// <summary>A generous bound on speech per character (Chinese is read at about 4–5 characters a second).</summary>
    public const decimal SecondsPerChar = 0.3m;

    public Credential Credential => new(CredentialKind.ApiKey, ApiKey);
    public string? ChatId => SessionId;
    string IBillable.PriceModel => Model;
    public Usage EstimateUsage() => new(0, MaxChars, Seconds: Math.Ceiling(MaxChars * SecondsPerChar));
}

public sealed record AudioSocketSpeakRequest(string? ApiKey, string SessionId, string Model, ChannelReader<string> Sentences, int MaxChars)
    : SpeakAnswerRequest(ApiKey, SessionId, Model, Sentences, MaxChars), ILoggedCall
{
    public static string Route => "/v1/chat/audio";
}

public sealed record VlmSocketSpeakRequest(string? ApiKey, string SessionId, string Model, ChannelReader<string> Sentences, int MaxChars)
    : SpeakAnswerRequest(ApiKey, SessionId, Model, Sentences, MaxChars), ILoggedCall
{
    public static string Route => "/v1/chat/vlm";
}

/// <summary>
/// A run of whole MP3 frames (<see cref="Mp3"/>, possibly empty), or a segment's end (<see cref="SegmentDone"/>);
/// <see cref="Usage"/> is the speech produced so far: characters as output tokens, and seconds.
/// </summary>
public sealed record SpeechChunk(byte[] Mp3, bool SegmentDone = false) : IBilledChunk<SpeechChunk>
{
    public Usage? Usage { get; init; }
    public Receipt? Receipt { get; init; }
    public string? DeliveredText => null;

    public static SpeechChunk Settled(Receipt receipt, Usage usage) => new([]) { Usage = usage, Receipt = receipt };
}
