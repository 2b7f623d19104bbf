using Ihui.Features.Common.ChatCompletions;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.SelectSpeakers;

/// <summary>
/// <c>POST /story_chat/select-speakers {"history_length", "user_message", "history_messages", "character_names"}</c> →
/// <c>{"speakers": […]}</c>: who answers the user's message, in order. <c>conversation_id</c> (optional, not in the seed)
/// seeds the fallback rotation and links the selector's model call to the conversation.
/// </summary>
public sealed record SelectSpeakersRequest : IRequest<SpeakersView>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    public int? HistoryLength { get; init; }
    public string? UserMessage { get; init; }
    public IReadOnlyList<HistoryMessageIn?>? HistoryMessages { get; init; }
    public IReadOnlyList<string?>? CharacterNames { get; init; }
    public string? ConversationId { get; init; }
}

/// <summary>A message of the client's history: <c>role</c> user, narrator, character (with <c>character_name</c>) or assistant.</summary>
public sealed record HistoryMessageIn(string? Role, string? Content)
{
    public string? CharacterName { get; init; }
}

public sealed record SpeakersView(IReadOnlyList<string> Speakers);

/// <summary>
/// The selector's model call: an OpenAI chat completion billed and logged under this route like any other call, linked
/// to the conversation (its <c>chat_id</c>).
/// </summary>
public sealed record SpeakerChoiceRequest(ChatCompletionsBody Body, string? ApiKey, int DefaultMaxOutputTokens, string? ConversationId)
    : IRequest<ChatCompletionsResult>, IChatCompletionsMessage
{
    public static string Route => "/api/v1/story_chat/select-speakers";
    public string? ChatId => ConversationId;
}
