using System.Text.Json.Serialization;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.Conversations;

/// <summary><c>POST /conversation {"story_id", "messages": [{"content", "character_id"}]}</c>: a new conversation with its opening lines.</summary>
public sealed record CreateConversationRequest : IRequest<ConversationView>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    public string? StoryId { get; init; }
    public IReadOnlyList<ConversationMessageIn?>? Messages { get; init; }
}

public sealed record ConversationMessageIn(string? Content, string? CharacterId);

public sealed record ConversationView(string Id, string StoryId, string Status, string CreatedAt, string? LastMessageId);

/// <summary><c>GET /conversation/{story_id}</c>: the caller's conversation in that story, or null.</summary>
public sealed record FindConversationRequest(string? AccessToken, string StoryId) : IRequest<StoryConversation>, IWalletRequest;

public sealed record StoryConversation(string? ConversationId);

/// <summary><c>POST /story_chat/history-messages {"conversation_id", "last_message_time"?, "limit"?}</c>: the page stored before that time.</summary>
public sealed record HistoryByTimeRequest : IRequest<IReadOnlyList<HistoryMessage>>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    public string? ConversationId { get; init; }
    public string? LastMessageTime { get; init; }
    public int? Limit { get; init; }
}

/// <summary><c>GET /story_chat/history-messages?conversation_id&amp;last_message_id&amp;limit</c>: the page before that message.</summary>
public sealed record HistoryByMessageRequest(string? AccessToken, string? ConversationId, string? LastMessageId, string? Limit)
    : IRequest<IReadOnlyList<HistoryMessage>>, IWalletRequest;

/// <summary>A stored message as the seed shows it, plus <c>interrupted</c> (a reply cut short).</summary>
public sealed record HistoryMessage(string Id, string Content, string? CharacterId, string? CharacterName, bool IsOpening, int Sequence,
    string CreatedAt, string Role, bool Interrupted)
{
    public static HistoryMessage From(MessageRow m) =>
        new(m.Id, m.Content, m.CharacterId, m.CharacterName, m.IsOpening, m.Sequence, StoryJson.Time(m.CreatedAt), m.Role, m.Interrupted);
}
