using Dapper;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Story.Catalogs;

public sealed record LanguageRow(string Id, string Language, DateTime CreatedAt)
{
    public LanguageRow() : this("", "", default) { }
}

/// <summary>The languages stories can be told in.</summary>
public sealed class LanguageStore(Db db)
{
    private const string Columns = "id AS Id, language AS Language, created_at AS CreatedAt";

    public async Task<IReadOnlyList<LanguageRow>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<LanguageRow>(new CommandDefinition($"SELECT {Columns} FROM languages ORDER BY created_at, id", cancellationToken: ct))).ToList();
    }

    public async Task<LanguageRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<LanguageRow>(new CommandDefinition($"SELECT {Columns} FROM languages WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public Task InsertAsync(LanguageRow r, CancellationToken ct) =>
        db.ExecuteWriteAsync("INSERT INTO languages (id, language, created_at) VALUES (@Id, @Language, @CreatedAt)", r, ct);

    public async Task<bool> UpdateAsync(string id, string language, CancellationToken ct) =>
        await db.ExecuteWriteAsync("UPDATE languages SET language = @language WHERE id = @id", new { id, language }, ct) == 1;

    public async Task<bool> DeleteAsync(string id, CancellationToken ct) => await db.ExecuteWriteAsync("DELETE FROM languages WHERE id = @id", new { id }, ct) == 1;
}

public sealed record ArtStyleRow
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Keyword { get; init; } = "";
    public string? Description { get; init; }
    public string? Thumbnail { get; init; }
    public string Status { get; init; } = "";
    public DateTime CreatedAt { get; init; }
}

public sealed record PromptTemplateRow
{
    public string Id { get; init; } = "";
    public string Type { get; init; } = "";
    public string Name { get; init; } = "";
    public string Content { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>Art styles and prompt templates: seeded at install, read by every user (and by avatar generation).</summary>
public sealed class PromptCatalogStore(Db db)
{
    public async Task<IReadOnlyList<ArtStyleRow>> ArtStylesAsync(string? status, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<ArtStyleRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, keyword AS Keyword, description AS Description, thumbnail AS Thumbnail, status AS Status, created_at AS CreatedAt " +
            "FROM art_styles WHERE @status IS NULL OR status = @status ORDER BY created_at, id", new { status }, cancellationToken: ct))).ToList();
    }

    public async Task<PromptTemplateRow?> PromptTemplateAsync(string type, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<PromptTemplateRow>(new CommandDefinition(
            "SELECT id AS Id, type AS Type, name AS Name, content AS Content, created_at AS CreatedAt, updated_at AS UpdatedAt FROM prompt_templates WHERE type = @type",
            new { type }, cancellationToken: ct));
    }
}
