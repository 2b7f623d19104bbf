using Ihui.Features.Common.ChatCompletions;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Wallet;
using Ihui.Features.Story.SelectSpeakers;
using Mediator;

namespace Ihui.Features.Story.GenerateResponse;

/// <summary>
/// <c>POST /story_chat/generate-response</c>, first step: checks the caller, the body, the conversation and the character
/// (401/422/404 before anything streams) and builds the character's prompt.
/// </summary>
public sealed record PrepareReplyRequest : IRequest<PreparedReply>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    public int? HistoryLength { get; init; }
    public string? CharacterId { get; init; }
    public string? UserMessage { get; init; }
    public IReadOnlyList<HistoryMessageIn?>? HistoryMessages { get; init; }
    public string? ConversationId { get; init; }
    public string? LastMessageId { get; init; }
    public bool? IsFirstResponse { get; init; }
}

/// <summary>The prompt and model of one character's reply, and what to store with it.</summary>
public sealed record PreparedReply(string Model, IReadOnlyList<ChatMessageIn> Messages, string ConversationId, string CharacterId, string CharacterName,
    string? UserMessageToStore);

/// <summary>
/// Second step: the reply itself, streamed, billed (reserved before the first byte, settled on what the vendor reports
/// or, when cut, on what was delivered) and logged under the route with the conversation as its chat.
/// </summary>
public sealed record StoryReplyStreamRequest(ChatCompletionsBody Body, string? ApiKey, int DefaultMaxOutputTokens, PreparedReply Reply)
    : IStreamRequest<StoryReplyChunk>, IChatCompletionsMessage
{
    public static string Route => "/api/v1/story_chat/generate-response";
    public string? ChatId => Reply.ConversationId;
}

/// <summary>A fragment of the reply, the stored messages (last), or the billing behaviour's receipt.</summary>
public sealed record StoryReplyChunk : IBilledChunk<StoryReplyChunk>
{
    public string? Text { get; init; }
    public Usage? Usage { get; init; }
    public string? DeliveredText => Text;
    public StoredReply? Stored { get; init; }
    public Receipt? Receipt { get; init; }

    public static StoryReplyChunk Settled(Receipt receipt, Usage usage) => new() { Receipt = receipt };
}

public sealed record StoredReply(string MessageId, int Sequence, string? UserMessageId);
