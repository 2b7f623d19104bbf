using Ihui.Features.Common.ChatCompletions;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Story.SelectSpeakers;

/// <summary>
/// Mentions first; otherwise the selector model (<c>STORY_SPEAKER_MODEL</c>) chooses, its answer checked and, when
/// wrong, asked once more with the reason; otherwise the seeded rotation. Never a name outside
/// <c>character_names</c>, never empty while it has a name.
/// </summary>
public sealed class SelectSpeakersHandler(CharacterStore characters, StoryChatSettings settings, IServiceScopeFactory scopes,
    ILogger<SelectSpeakersHandler> logger) : IRequestHandler<SelectSpeakersRequest, SpeakersView>
{
    public async ValueTask<SpeakersView> Handle(SelectSpeakersRequest r, CancellationToken ct)
    {
        var names = r.CharacterNames!.Select(n => n!.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return new SpeakersView([]);
        var narratorName = (await characters.NarratorAsync(ct))?.Name;
        var narrator = names.FirstOrDefault(n => n == narratorName || n.Equals("narrator", StringComparison.OrdinalIgnoreCase));

        var mentioned = SpeakerRules.Mentioned(r.UserMessage ?? "", names, narrator);
        if (mentioned.Count > 0) return new SpeakersView(mentioned);

        var history = (r.HistoryMessages ?? []).Where(m => m is not null).Select(m => m!).ToList();
        if (settings.SpeakerModel is { } model && await AskAsync(model, r, history, names, narrator, ct) is { } chosen) return new SpeakersView(chosen);

        var turn = history.Count(m => m.Role == "user") + 1;
        return new SpeakersView(SpeakerRules.Fallback(names, narrator, r.ConversationId ?? string.Join('\n', names), turn, LastSpeaker(history, narrator)));
    }

    private async Task<IReadOnlyList<string>?> AskAsync(string model, SelectSpeakersRequest r, List<HistoryMessageIn> history, List<string> names,
        string? narrator, CancellationToken ct)
    {
        var transcript = new StringBuilder();
        foreach (var m in history.TakeLast(r.HistoryLength ?? SelectSpeakersValidator.DefaultHistory))
            transcript.Append(m.Role switch
            {
                "user" => "User",
                "narrator" => narrator ?? "Narrator",
                _ => m.CharacterName ?? "Character",
            }).Append(": ").AppendLine(m.Content);
        List<ChatMessageIn> messages =
        [
            new("system", Text(
                "You direct a role-play story with several characters. Read the conversation and the user's new message, then choose who " +
                $"answers it, in order: 1 to {SpeakerRules.MaxSpeakers} of these characters: {string.Join(", ", names)}." +
                (narrator is null ? "" : $" {narrator} is the narrator: at most once, and last.") +
                " Answer with JSON only: {\"speakers\": [\"name\", …]}.")),
            new("user", Text($"Conversation:\n{transcript}\nUser's new message: {r.UserMessage}")),
        ];
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            string answer;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var body = new ChatCompletionsBody { Model = model, Messages = messages, ResponseFormat = JsonSerializer.SerializeToElement(new { type = "json_object" }) };
                var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SpeakerChoiceRequest(body, r.AccessToken, 200, r.ConversationId), ct);
                answer = result.Response.Choices[0].Message.Content ?? "";
            }
            catch (ApiException e)
            {
                logger.LogWarning("Speaker selector {Model} failed ({Status} {Code}); the rotation chooses", model, e.Status, e.Code);
                return null;
            }
            var (speakers, error) = SpeakerRules.Check(answer, names, narrator);
            if (speakers is not null) return speakers;
            logger.LogWarning("Speaker selector {Model} answered unusably (attempt {Attempt}): {Error}", model, attempt, error);
            messages = [.. messages, new ChatMessageIn("assistant", Text(answer)), new ChatMessageIn("user", Text($"That answer cannot be used: {error}. Answer again."))];
        }
        return null;
    }

    /// <summary>Who spoke last before the user's new message (null when the user did, or nobody).</summary>
    private static string? LastSpeaker(List<HistoryMessageIn> history, string? narrator)
    {
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var m = history[i];
            if (m.Role == "user") return null;
            if (m.Role == "narrator") return narrator;
            if (m.CharacterName is { Length: > 0 } name) return name;
        }
        return null;
    }

    private static JsonElement Text(string s) => JsonSerializer.SerializeToElement(s);
}

public sealed class SpeakerChoiceHandler(OpenAiChatAdapter adapter) : IRequestHandler<SpeakerChoiceRequest, ChatCompletionsResult>
{
    public async ValueTask<ChatCompletionsResult> Handle(SpeakerChoiceRequest request, CancellationToken ct) => await adapter.CompleteAsync(request, ct);
}
