using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Story.Shared;

/// <summary>
/// Seed 003 part 2's settings: the history page, how long history is kept (the seed: 30 days) and how often it is swept;
/// the registry model that chooses speakers when nobody is mentioned (none: the rotation chooses).
/// </summary>
public sealed record StoryChatSettings(int HistoryPageSize, TimeSpan Retention, TimeSpan SweepInterval, string? SpeakerModel)
{
    /// <summary>The registry chat model a character without its own <c>llm_id</c> speaks with (<c>STORY_CHAT_MODEL</c>).</summary>
    public string? ChatModel { get; init; }

    /// <summary>The registry chat model that writes image prompts when a request names none (<c>STORY_PROMPT_MODEL</c>, else <see cref="ChatModel"/>).</summary>
    public string? PromptModel { get; init; }

    /// <summary>The registry t2i model that draws story backgrounds when a request names none (<c>STORY_T2I_MODEL</c>; unset: the least used t2i model).</summary>
    public string? ImageModel { get; init; }

    public static StoryChatSettings From(IConfiguration c) => new(
        Setting.Int(c, "STORY_HISTORY_PAGE_SIZE", 50, 1, 500),
        TimeSpan.FromDays(Setting.Int(c, "STORY_HISTORY_RETENTION_DAYS", 30, 1, 3650)),
        Setting.Seconds(c, "STORY_HISTORY_SWEEP_SECONDS", 3600, 7 * 24 * 3600),
        Setting.Text(c, "STORY_SPEAKER_MODEL"))
    {
        ChatModel = Setting.Text(c, "STORY_CHAT_MODEL"),
        PromptModel = Setting.Text(c, "STORY_PROMPT_MODEL") ?? Setting.Text(c, "STORY_CHAT_MODEL"),
        ImageModel = Setting.Text(c, "STORY_T2I_MODEL"),
    };
}
