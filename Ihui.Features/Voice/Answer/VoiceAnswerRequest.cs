using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Mediator;

namespace Ihui.Features.Voice.Answer;

/// <summary>
/// The streamed answer to a transcribed question (DashScope compatible chat; with an inline image for the vision
/// socket), billed by tokens like every chat stream: the prompt, the history and the capped answer are held.
/// </summary>
public abstract record VoiceAnswerRequest(string? ApiKey, string SessionId, string Model, IReadOnlyList<ChatMessage> Messages,
    int MaxOutputTokens, bool HasImage) : IStreamRequest<ChatStreamChunk>, IAuthenticatedRequest, IBillable
{
    /// <summary>What an image costs the vendor at most in input tokens (qwen-vl counts 28×28 pixels a token, capped).</summary>
    public const int ImageTokens = 1280;

    public Credential Credential => new(CredentialKind.ApiKey, ApiKey);
    public string? ChatId => SessionId;
    string IBillable.PriceModel => Model;

    public Usage EstimateUsage() => new(
        Messages.Sum(m => m.Content is string s ? Usage.TokensForText(s)
            : m.Content is IEnumerable<ContentPart> parts ? parts.Sum(p => Usage.TokensForText(p.Text)) : 0) + (HasImage ? ImageTokens : 0),
        MaxOutputTokens);
}

public sealed record AudioSocketAnswerRequest(string? ApiKey, string SessionId, string Model, IReadOnlyList<ChatMessage> Messages, int MaxOutputTokens)
    : VoiceAnswerRequest(ApiKey, SessionId, Model, Messages, MaxOutputTokens, false), ILoggedCall
{
    public static string Route => "/v1/chat/audio";
}

public sealed record VlmSocketAnswerRequest(string? ApiKey, string SessionId, string Model, IReadOnlyList<ChatMessage> Messages, int MaxOutputTokens)
    : VoiceAnswerRequest(ApiKey, SessionId, Model, Messages, MaxOutputTokens, true), ILoggedCall
{
    public static string Route => "/v1/chat/vlm";
}
