using Dapper;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Story.Shared;

public sealed record MusicRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Url { get; init; } = "";
    public string Type { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

public sealed record StoryTemplateRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Thumbnail { get; init; }
    public string? Introduction { get; init; }
    public string? Components { get; init; }
    public int MaxCharacters { get; init; }
    public string? HiddenPrompt { get; init; }
    public string Status { get; init; } = "active";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>The platform's background music (readable by all, written by editors).</summary>
public sealed class MusicStore(Db db)
{
    private const string Columns = "id AS Id, name AS Name, url AS Url, type AS Type, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task<MusicRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<MusicRow>(new CommandDefinition($"SELECT {Columns} FROM music WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<MusicRow>> ListAsync(string? type, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<MusicRow>(new CommandDefinition(
            $"SELECT {Columns} FROM music WHERE @type IS NULL OR type = @type ORDER BY created_at DESC, id DESC", new { type }, cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<string>> TypesAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition("SELECT DISTINCT type FROM music ORDER BY type", cancellationToken: ct))).ToList();
    }

    public Task InsertAsync(MusicRow r, CancellationToken ct) => db.ExecuteWriteAsync(
        "INSERT INTO music (id, name, url, type, created_at, updated_at) VALUES (@Id, @Name, @Url, @Type, @CreatedAt, @UpdatedAt)", r, ct);

    public Task UpdateAsync(MusicRow r, CancellationToken ct) => db.ExecuteWriteAsync(
        "UPDATE music SET name = @Name, url = @Url, type = @Type, updated_at = @UpdatedAt WHERE id = @Id", r, ct);

    public async Task<bool> DeleteAsync(string id, CancellationToken ct) => await db.ExecuteWriteAsync("DELETE FROM music WHERE id = @id", new { id }, ct) == 1;
}

/// <summary>Story templates: a client-chosen id (e.g. <c>free-creation</c>), the components and the prompt a story is built on.</summary>
public sealed class StoryTemplateStore(Db db)
{
    private const string Columns =
        "id AS Id, name AS Name, thumbnail AS Thumbnail, introduction AS Introduction, components AS Components, max_characters AS MaxCharacters, " +
        "hidden_prompt AS HiddenPrompt, status AS Status, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task<StoryTemplateRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<StoryTemplateRow>(new CommandDefinition(
            $"SELECT {Columns} FROM story_templates WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<StoryTemplateRow>> ListAsync(string? status, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<StoryTemplateRow>(new CommandDefinition(
            $"SELECT {Columns} FROM story_templates WHERE @status IS NULL OR status = @status ORDER BY created_at, id", new { status }, cancellationToken: ct))).ToList();
    }

    public Task InsertAsync(StoryTemplateRow r, CancellationToken ct) => db.ExecuteWriteAsync(
        "INSERT INTO story_templates (id, name, thumbnail, introduction, components, max_characters, hidden_prompt, status, created_at, updated_at) " +
        "VALUES (@Id, @Name, @Thumbnail, @Introduction, @Components, @MaxCharacters, @HiddenPrompt, @Status, @CreatedAt, @UpdatedAt)", r, ct);

    public Task UpdateAsync(StoryTemplateRow r, CancellationToken ct) => db.ExecuteWriteAsync(
        "UPDATE story_templates SET name = @Name, thumbnail = @Thumbnail, introduction = @Introduction, components = @Components, " +
        "max_characters = @MaxCharacters, hidden_prompt = @HiddenPrompt, status = @Status, updated_at = @UpdatedAt WHERE id = @Id", r, ct);

    public async Task<bool> DeleteAsync(string id, CancellationToken ct) => await db.ExecuteWriteAsync("DELETE FROM story_templates WHERE id = @id", new { id }, ct) == 1;
}
