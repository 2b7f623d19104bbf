using Ihui.Features.Common.ChatCompletions;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Models;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Story.Shared;
using Ihui.Features.Story.SelectSpeakers;
using Mediator;

namespace Ihui.Features.Story.GenerateResponse;

/// <summary>
/// The character's prompt: the <c>story_character_system</c> template filled with the character (name, personality,
/// background) and the story (background, the characters' scene, language), then the template's hidden prompt and the
/// user's system-prompt posts; then the last <c>history_length</c> messages (the client's, or the stored ones when it
/// sends none) and the user's message.
/// </summary>
public sealed class PrepareReplyHandler(ConversationStore conversations, StoryStore stories, CharacterStore characters, StoryPromptStore prompts,
    ModelCatalog catalog, StoryChatSettings settings, CurrentCaller current) : IRequestHandler<PrepareReplyRequest, PreparedReply>
{
    public const string DefaultLanguage = "中文";

    public async ValueTask<PreparedReply> Handle(PrepareReplyRequest r, CancellationToken ct)
    {
        var userId = current.Caller.UserId;
        var conversation = await conversations.FindOwnedAsync(userId, r.ConversationId!, ct) ?? throw Ownership.NotFound("Conversation");
        var story = await stories.FindAsync(conversation.StoryId, ct) ?? throw Ownership.NotFound("Story");
        var character = (await stories.CharactersOfAsync([story.Id], ct))[story.Id].FirstOrDefault(c => c.Id == r.CharacterId);
        if (character is null && await characters.FindAsync(r.CharacterId!, ct) is { OwnerId: null } platform) character = platform;
        if (character is null) throw Ownership.NotFound("Character");

        var model = character.LlmId is { Length: > 0 } own && await catalog.FindEnabledAsync(own, ct) is { IsChat: true } ? own
            : settings.ChatModel ?? throw new ApiException(503, "vendor_not_configured", "no chat model for story replies: set STORY_CHAT_MODEL");

        var language = story.Language ?? character.Language ?? DefaultLanguage;
        var setting = Setting(story.Setting);
        var template = await prompts.TemplateAsync("story_character_system", ct)
                       ?? "You are {character_name} in an interactive story. Stay in character and answer in {language}.";
        var system = new StringBuilder(StoryPromptStore.Fill(template, new Dictionary<string, string?>
        {
            ["character_name"] = character.Name, ["personality"] = character.Personality, ["character_background"] = character.Background,
            ["story_background"] = story.GeneratedBackground ?? story.TemplateContent ?? setting.GetValueOrDefault("background"), ["language"] = language,
        }));
        if (setting.GetValueOrDefault("character_background") is { Length: > 0 } scene) system.Append("\n\nThe scene: ").Append(scene);
        if (await prompts.HiddenPromptAsync(story.TemplateId, ct) is { Length: > 0 } hidden) system.Append("\n\n").Append(hidden);
        var posts = await prompts.PostsAsync(userId, ct);
        if (posts.Count > 0) system.Append("\n\nThe user's further instructions:\n").AppendJoin('\n', posts.Select(p => "- " + p));

        // The last message the client has seen: it must be in this conversation, and the stored history ends with it.
        int? until = null;
        if (r.LastMessageId is { Length: > 0 } lastId)
            until = (await conversations.FindMessageAsync(conversation.Id, lastId, ct) ?? throw Ownership.NotFound("Message")).Sequence + 1;

        var length = r.HistoryLength ?? SelectSpeakersValidator.DefaultHistory;
        var history = r.HistoryMessages is { Count: > 0 } given
            ? given.Select(m => (m!.Role, m.CharacterName, m.Content ?? "")).TakeLast(length).ToList()
            : (await conversations.BeforeSequenceAsync(conversation.Id, until, length, ct))
            .Select(m => ((string?)(m.Role == MessageRoles.User ? "user" : "character"), m.CharacterName, m.Content)).TakeLast(length).ToList();
        List<ChatMessageIn> messages = [new("system", Text(system.ToString()))];
        foreach (var (role, name, content) in history)
            messages.Add(role == "user" ? new ChatMessageIn("user", Text(content))
                : name == character.Name ? new ChatMessageIn("assistant", Text(content))
                : new ChatMessageIn("user", Text($"[{name ?? (role == "narrator" ? "旁白" : "?")}] {content}")));
        // A later speaker of the turn reading the stored history finds the user's message there already (the turn's first
        // reply stored it): it is not sent twice.
        var said = r.UserMessage is { Length: > 0 } message
                   && !(r.HistoryMessages is not { Count: > 0 } && r.IsFirstResponse != true && history.LastOrDefault(h => h.Item1 == "user").Item3 == message)
            ? message : null;
        messages.Add(new ChatMessageIn("user", Text(said ?? $"(Continue the story as {character.Name}.)")));

        return new PreparedReply(model, messages, conversation.Id, character.Id, character.Name, r.IsFirstResponse == true ? r.UserMessage : null);
    }

    private static Dictionary<string, string> Setting(string? json)
    {
        var values = new Dictionary<string, string>();
        if (json is null) return values;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var p in doc.RootElement.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.String) values[p.Name] = p.Value.GetString()!;
        }
        catch (JsonException)
        {
        }
        return values;
    }

    private static JsonElement Text(string s) => JsonSerializer.SerializeToElement(s);
}

/// <summary>
/// Streams the character's reply and stores it with its sequence when it completes; a reply cut by the vendor or the
/// client is stored as far as it was delivered, marked interrupted (the billing behaviour charges the same part). The
/// user's message (once per turn) is stored when the vendor's first fragment arrives, just before it is delivered: a
/// vendor failing before that is a refunded status and the turn did not happen, so the client's retry of the same turn
/// (again <c>is_first_response</c>) does not store the message twice.
/// </summary>
public sealed class StoryReplyStreamHandler(OpenAiChatAdapter adapter, ConversationStore conversations)
    : IStreamRequestHandler<StoryReplyStreamRequest, StoryReplyChunk>
{
    public async IAsyncEnumerable<StoryReplyChunk> Handle(StoryReplyStreamRequest r, [EnumeratorCancellation] CancellationToken ct)
    {
        var reply = r.Reply;
        string? userMessageId = null;
        var userStored = reply.UserMessageToStore is null;
        var delivered = new StringBuilder();
        var completed = false;
        try
        {
            await foreach (var chunk in adapter.StreamAsync(r, ct))
            {
                var text = chunk.Wire?.Choices.Count > 0 ? chunk.Wire.Choices[0].Delta.Content : null;
                if (text is { Length: > 0 })
                {
                    if (!userStored)
                    {
                        userMessageId = (await conversations.AppendAsync(reply.ConversationId, [new NewMessage(MessageRoles.User, reply.UserMessageToStore!)], ct))[0].Id;
                        userStored = true;
                    }
                    delivered.Append(text);
                }
                if (text is { Length: > 0 } || chunk.Usage is not null) yield return new StoryReplyChunk { Text = text, Usage = chunk.Usage };
            }
            completed = true;
        }
        finally
        {
            if (!completed && delivered.Length > 0)
                await conversations.AppendAsync(reply.ConversationId,
                    [new NewMessage(MessageRoles.Assistant, delivered.ToString(), reply.CharacterId, reply.CharacterName, Interrupted: true)], CancellationToken.None);
        }
        if (!userStored)
            userMessageId = (await conversations.AppendAsync(reply.ConversationId, [new NewMessage(MessageRoles.User, reply.UserMessageToStore!)], CancellationToken.None))[0].Id;
        var stored = (await conversations.AppendAsync(reply.ConversationId,
            [new NewMessage(MessageRoles.Assistant, delivered.ToString(), reply.CharacterId, reply.CharacterName)], CancellationToken.None))[0];
        yield return new StoryReplyChunk { Stored = new StoredReply(stored.Id, stored.Sequence, userMessageId) };
    }
}
