using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Story.Shared;
using Mediator;

namespace Ihui.Features.Story.Conversations;

public sealed class CreateConversationHandler(StoryStore stories, CharacterStore characters, ConversationStore conversations, CurrentCaller current)
    : IRequestHandler<CreateConversationRequest, ConversationView>
{
    public async ValueTask<ConversationView> Handle(CreateConversationRequest r, CancellationToken ct)
    {
        var userId = current.Caller.UserId;
        var story = await stories.FindAsync(r.StoryId!, ct);
        if (story is null || story.Status != "published" && story.OwnerId != userId) throw Ownership.NotFound("Story");
        var cast = (await stories.CharactersOfAsync([story.Id], ct))[story.Id].ToDictionary(c => c.Id, StringComparer.Ordinal);
        var openings = new List<NewMessage>();
        foreach (var m in r.Messages ?? [])
        {
            // A story's own characters, or a platform one (the narrator).
            var speaker = cast.GetValueOrDefault(m!.CharacterId!);
            if (speaker is null && await characters.FindAsync(m.CharacterId!, ct) is { OwnerId: null } platform) speaker = platform;
            if (speaker is null) throw ApiException.BadRequest($"Character '{m.CharacterId}' is not one of the story's characters");
            openings.Add(new NewMessage(MessageRoles.Assistant, m.Content!, speaker.Id, speaker.Name, IsOpening: true));
        }
        var row = await conversations.CreateAsync(userId, story.Id, openings, ct);
        return new ConversationView(row.Id, row.StoryId, row.Status, StoryJson.Time(row.CreatedAt), row.LastMessageId);
    }
}

public sealed class FindConversationHandler(ConversationStore conversations, CurrentCaller current) : IRequestHandler<FindConversationRequest, StoryConversation>
{
    public async ValueTask<StoryConversation> Handle(FindConversationRequest r, CancellationToken ct) =>
        new(StoryJson.IsId(r.StoryId) ? await conversations.LatestInStoryAsync(current.Caller.UserId, r.StoryId, ct) : null);
}

public sealed class HistoryByTimeHandler(ConversationStore conversations, StoryChatSettings settings, CurrentCaller current)
    : IRequestHandler<HistoryByTimeRequest, IReadOnlyList<HistoryMessage>>
{
    public async ValueTask<IReadOnlyList<HistoryMessage>> Handle(HistoryByTimeRequest r, CancellationToken ct)
    {
        await History.OwnedAsync(conversations, current, r.ConversationId!, ct);
        DateTime? before = r.LastMessageTime is { } t && HistoryTime.TryParse(t, out var utc) ? utc : null;
        var page = await conversations.BeforeTimeAsync(r.ConversationId!, before, History.PageSize(settings, r.Limit), ct);
        return page.Select(HistoryMessage.From).ToList();
    }
}

public sealed class HistoryByMessageHandler(ConversationStore conversations, StoryChatSettings settings, CurrentCaller current)
    : IRequestHandler<HistoryByMessageRequest, IReadOnlyList<HistoryMessage>>
{
    public async ValueTask<IReadOnlyList<HistoryMessage>> Handle(HistoryByMessageRequest r, CancellationToken ct)
    {
        await History.OwnedAsync(conversations, current, r.ConversationId!, ct);
        int? before = null;
        if (!string.IsNullOrEmpty(r.LastMessageId))
            before = (await conversations.FindMessageAsync(r.ConversationId!, r.LastMessageId, ct) ?? throw Ownership.NotFound("Message")).Sequence;
        var page = await conversations.BeforeSequenceAsync(r.ConversationId!, before, History.PageSize(settings, int.TryParse(r.Limit, out var l) ? l : null), ct);
        return page.Select(HistoryMessage.From).ToList();
    }
}

internal static class History
{
    public static async Task<ConversationRow> OwnedAsync(ConversationStore conversations, CurrentCaller current, string id, CancellationToken ct) =>
        await conversations.FindOwnedAsync(current.Caller.UserId, id, ct) ?? throw Ownership.NotFound("Conversation");

    /// <summary>The page asked for, capped at <c>STORY_HISTORY_PAGE_SIZE</c>.</summary>
    public static int PageSize(StoryChatSettings settings, int? asked) => Math.Min(asked ?? settings.HistoryPageSize, settings.HistoryPageSize);
}
