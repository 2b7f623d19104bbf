using Dapper;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Story.Shared;

public sealed record CharacterRow
{
    public string Id { get; init; } = "";
    public string? OwnerId { get; init; }
    public string Name { get; init; } = "";
    public string? Avatar { get; init; }
    public string? Personality { get; init; }
    public string? Background { get; init; }
    public string? Description { get; init; }
    public string? ImageUrl { get; init; }
    public string? IconUrl { get; init; }
    public string? ImagePrompt { get; init; }
    public string? Language { get; init; }
    public string? LlmId { get; init; }
    public string CharacterType { get; init; } = "character";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>
/// Characters: a user's own (private to them), the platform's (no owner: the narrator), and those a published story
/// uses, which every user may read.
/// </summary>
public sealed class CharacterStore(Db db, TimeProvider clock)
{
    public const string Columns =
        "c.id AS Id, c.owner_id AS OwnerId, c.name AS Name, c.avatar AS Avatar, c.personality AS Personality, c.background AS Background, " +
        "c.description AS Description, c.image_url AS ImageUrl, c.icon_url AS IconUrl, c.image_prompt AS ImagePrompt, c.language AS Language, " +
        "c.llm_id AS LlmId, c.character_type AS CharacterType, c.created_at AS CreatedAt, c.updated_at AS UpdatedAt";

    /// <summary>What a user may read: their own, the platform's, and any in a published story.</summary>
    private const string Visible =
        "(c.owner_id = @UserId OR c.owner_id IS NULL OR EXISTS (SELECT 1 FROM story_characters sc JOIN stories s ON s.id = sc.story_id " +
        "WHERE sc.character_id = c.id AND s.status = 'published'))";

    public async Task<CharacterRow> CreateAsync(CharacterRow row, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        row = row with { Id = StoryJson.NewId(clock), CreatedAt = now, UpdatedAt = now };
        await db.ExecuteWriteAsync(
            "INSERT INTO characters (id, owner_id, name, avatar, personality, background, description, image_url, icon_url, image_prompt, language, llm_id, character_type, created_at, updated_at) " +
            "VALUES (@Id, @OwnerId, @Name, @Avatar, @Personality, @Background, @Description, @ImageUrl, @IconUrl, @ImagePrompt, @Language, @LlmId, @CharacterType, @CreatedAt, @UpdatedAt)",
            row, ct);
        return row;
    }

    public async Task<CharacterRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<CharacterRow>(new CommandDefinition(
            $"SELECT {Columns} FROM characters c WHERE c.id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<CharacterRow?> FindVisibleAsync(string userId, string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<CharacterRow>(new CommandDefinition(
            $"SELECT {Columns} FROM characters c WHERE c.id = @Id AND {Visible}", new { Id = id, UserId = userId }, cancellationToken: ct));
    }

    /// <summary>The caller's own characters and the platform's, newest first.</summary>
    public async Task<Page<CharacterRow>> PageAsync(string userId, Paging paging, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var args = new { UserId = userId, paging.Limit, paging.Offset };
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM characters c WHERE c.owner_id = @UserId OR c.owner_id IS NULL", args, cancellationToken: ct));
        var items = await c.QueryAsync<CharacterRow>(new CommandDefinition(
            $"SELECT {Columns} FROM characters c WHERE c.owner_id = @UserId OR c.owner_id IS NULL ORDER BY c.created_at DESC, c.id DESC LIMIT @Limit OFFSET @Offset",
            args, cancellationToken: ct));
        return new Page<CharacterRow>(total, items.ToList());
    }

    public async Task<IReadOnlyList<CharacterRow>> OwnAsync(string userId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<CharacterRow>(new CommandDefinition(
            $"SELECT {Columns} FROM characters c WHERE c.owner_id = @userId ORDER BY c.created_at DESC, c.id DESC", new { userId }, cancellationToken: ct))).ToList();
    }

    public async Task<CharacterRow?> NarratorAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<CharacterRow>(new CommandDefinition(
            $"SELECT {Columns} FROM characters c WHERE c.owner_id IS NULL AND c.character_type = 'narrator' ORDER BY c.created_at, c.id LIMIT 1",
            cancellationToken: ct));
    }

    public async Task UpdateAsync(CharacterRow row, CancellationToken ct) =>
        await db.ExecuteWriteAsync(
            "UPDATE characters SET name = @Name, avatar = @Avatar, personality = @Personality, background = @Background, description = @Description, " +
            "image_url = @ImageUrl, icon_url = @IconUrl, updated_at = @UpdatedAt WHERE id = @Id", row, ct);

    public async Task DeleteAsync(string id, CancellationToken ct) =>
        await db.ExecuteWriteAsync("DELETE FROM characters WHERE id = @id", new { id }, ct);
}
