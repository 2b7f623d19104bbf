using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Story.Shared;

public sealed record StoryRow
{
    public string Id { get; init; } = "";
    public string OwnerId { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Setting { get; init; }
    public string Status { get; init; } = "draft";
    public string? TemplateId { get; init; }
    public string? TemplateContent { get; init; }
    public string? BackgroundMusicId { get; init; }
    public string? BgImageUrl { get; init; }
    public string? Language { get; init; }
    public string? Settings { get; init; }
    public string? OpeningMessages { get; init; }
    public string? GeneratedBackground { get; init; }
    public DateTime? PublishedAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>An opening line of a published story, spoken by one of its characters.</summary>
public sealed record OpeningMessage(string Content, string? Character);

/// <summary>
/// Stories: drafts made with <c>POST /stories</c> are their owner's alone; a published story (<c>/story/publish</c>) is
/// readable by everyone, with its characters in order (<c>story_characters</c>).
/// </summary>
public sealed class StoryStore(Db db, TimeProvider clock)
{
    private const string Columns =
        "s.id AS Id, s.owner_id AS OwnerId, s.title AS Title, s.setting AS Setting, s.status AS Status, s.template_id AS TemplateId, " +
        "s.template_content AS TemplateContent, s.background_music_id AS BackgroundMusicId, s.bg_image_url AS BgImageUrl, s.language AS Language, " +
        "s.settings AS Settings, s.opening_messages AS OpeningMessages, s.generated_background AS GeneratedBackground, s.published_at AS PublishedAt, " +
        "s.created_at AS CreatedAt, s.updated_at AS UpdatedAt";

    private const string Insert =
        "INSERT INTO stories (id, owner_id, title, setting, status, template_id, template_content, background_music_id, bg_image_url, language, settings, " +
        "opening_messages, generated_background, published_at, created_at, updated_at) VALUES (@Id, @OwnerId, @Title, @Setting, @Status, @TemplateId, " +
        "@TemplateContent, @BackgroundMusicId, @BgImageUrl, @Language, @Settings, @OpeningMessages, @GeneratedBackground, @PublishedAt, @CreatedAt, @UpdatedAt)";

    public async Task<StoryRow> CreateAsync(string ownerId, string title, string? setting, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new StoryRow { Id = StoryJson.NewId(clock), OwnerId = ownerId, Title = title, Setting = setting, CreatedAt = now, UpdatedAt = now };
        await db.ExecuteWriteAsync(Insert, row, ct);
        return row;
    }

    /// <summary>Stores a published story and its characters in order, in one transaction.</summary>
    public async Task<StoryRow> PublishAsync(StoryRow story, IReadOnlyList<string> characterIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        story = story with { Id = StoryJson.NewId(clock), Status = "published", PublishedAt = now, CreatedAt = now, UpdatedAt = now };
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(Insert, story, tx, cancellationToken: ct));
            for (var i = 0; i < characterIds.Count; i++)
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO story_characters (story_id, position, character_id) VALUES (@StoryId, @Position, @CharacterId)",
                    new { StoryId = story.Id, Position = i, CharacterId = characterIds[i] }, tx, cancellationToken: ct));
        }, ct);
        return story;
    }

    public async Task<StoryRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<StoryRow>(new CommandDefinition($"SELECT {Columns} FROM stories s WHERE s.id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<Page<StoryRow>> OwnAsync(string userId, Paging paging, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var args = new { UserId = userId, paging.Limit, paging.Offset };
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM stories s WHERE s.owner_id = @UserId", args, cancellationToken: ct));
        var items = await c.QueryAsync<StoryRow>(new CommandDefinition(
            $"SELECT {Columns} FROM stories s WHERE s.owner_id = @UserId ORDER BY s.created_at DESC, s.id DESC LIMIT @Limit OFFSET @Offset", args, cancellationToken: ct));
        return new Page<StoryRow>(total, items.ToList());
    }

    public async Task<StoryRow> UpdateAsync(StoryRow row, CancellationToken ct)
    {
        row = row with { UpdatedAt = clock.GetUtcNow().UtcDateTime };
        await db.ExecuteWriteAsync("UPDATE stories SET title = @Title, setting = @Setting, updated_at = @UpdatedAt WHERE id = @Id", row, ct);
        return row;
    }

    public async Task DeleteAsync(string id, CancellationToken ct) =>
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM story_characters WHERE story_id = @id", new { id }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM stories WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>Published stories the user has no conversation in yet, newest first, with their creators.</summary>
    public async Task<IReadOnlyList<(StoryRow Story, string? CreatorWallet, string CreatorName)>> UnstartedAsync(string userId, Paging paging, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<StoryRow, CreatorRow, (StoryRow, string?, string)>(new CommandDefinition(
                $"SELECT {Columns}, w.wallet_address AS CreatorWallet, u.username AS CreatorName FROM stories s " +
                "JOIN users u ON u.id = s.owner_id LEFT JOIN wallet_accounts w ON w.user_id = s.owner_id " +
                "WHERE s.status = 'published' AND NOT EXISTS (SELECT 1 FROM conversations v WHERE v.user_id = @UserId AND v.story_id = s.id) " +
                "ORDER BY s.published_at DESC, s.id DESC LIMIT @Limit OFFSET @Offset",
                new { UserId = userId, paging.Limit, paging.Offset }, cancellationToken: ct),
            (s, creator) => (s, creator?.CreatorWallet, creator?.CreatorName ?? ""), splitOn: "CreatorWallet");
        return rows.ToList();
    }

    /// <summary>The characters of the given stories, in each story's order.</summary>
    public async Task<ILookup<string, CharacterRow>> CharactersOfAsync(IReadOnlyCollection<string> storyIds, CancellationToken ct)
    {
        if (storyIds.Count == 0) return Array.Empty<(string, CharacterRow)>().ToLookup(x => x.Item1, x => x.Item2);
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<string, CharacterRow, (string StoryId, CharacterRow Character)>(new CommandDefinition(
                $"SELECT sc.story_id AS StoryId, {CharacterStore.Columns} FROM story_characters sc JOIN characters c ON c.id = sc.character_id " +
                "WHERE sc.story_id IN @Ids ORDER BY sc.story_id, sc.position", new { Ids = storyIds }, cancellationToken: ct),
            (storyId, character) => (storyId, character), splitOn: "Id");
        return rows.ToLookup(r => r.StoryId, r => r.Character);
    }

    public static IReadOnlyList<OpeningMessage> Openings(StoryRow s) =>
        s.OpeningMessages is null ? [] : JsonSerializer.Deserialize<List<OpeningMessage>>(s.OpeningMessages, StoryJson.Options) ?? [];

    private sealed class CreatorRow
    {
        public string? CreatorWallet { get; init; }
        public string CreatorName { get; init; } = "";
    }
}
