using Dapper;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Story.Shared;

/// <summary>What the platform's model prompts are built from: prompt templates (by type) and a user's system-prompt posts.</summary>
public sealed class StoryPromptStore(Db db)
{
    public const int MaxPosts = 20;

    public async Task<string?> TemplateAsync(string type, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<string>(new CommandDefinition("SELECT content FROM prompt_templates WHERE type = @type", new { type }, cancellationToken: ct));
    }

    /// <summary>The user's newest <see cref="MaxPosts"/> system-prompt posts, oldest first.</summary>
    public async Task<IReadOnlyList<string>> PostsAsync(string userId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT content FROM system_prompt_posts WHERE owner_id = @userId ORDER BY created_at DESC, id DESC LIMIT @max",
            new { userId, max = MaxPosts }, cancellationToken: ct));
        return rows.Reverse().ToList();
    }

    /// <summary>The hidden prompt of a story template, or null.</summary>
    public async Task<string?> HiddenPromptAsync(string? templateId, CancellationToken ct)
    {
        if (templateId is null) return null;
        await using var c = await db.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT hidden_prompt FROM story_templates WHERE id = @templateId", new { templateId }, cancellationToken: ct));
    }

    /// <summary>Fills <c>{name}</c> placeholders; unknown ones are left as they are.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string?> values)
    {
        foreach (var (k, v) in values) template = template.Replace("{" + k + "}", v ?? "", StringComparison.Ordinal);
        return template;
    }
}
