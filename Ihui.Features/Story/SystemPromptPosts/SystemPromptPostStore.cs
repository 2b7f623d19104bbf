using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Story.Shared;

namespace Ihui.Features.Story.SystemPromptPosts;

public sealed record PostRow
{
    public string Id { get; init; } = "";
    public string OwnerId { get; init; } = "";
    public string Content { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

public sealed class SystemPromptPostStore(Db db)
{
    private const string Columns = "id AS Id, owner_id AS OwnerId, content AS Content, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task<PostRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<PostRow>(new CommandDefinition($"SELECT {Columns} FROM system_prompt_posts WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<Page<PostRow>> PageAsync(string ownerId, Paging paging, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var args = new { ownerId, paging.Limit, paging.Offset };
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM system_prompt_posts WHERE owner_id = @ownerId", args, cancellationToken: ct));
        var items = await c.QueryAsync<PostRow>(new CommandDefinition(
            $"SELECT {Columns} FROM system_prompt_posts WHERE owner_id = @ownerId ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset", args, cancellationToken: ct));
        return new Page<PostRow>(total, items.ToList());
    }

    public Task InsertAsync(PostRow r, CancellationToken ct) => db.ExecuteWriteAsync(
        "INSERT INTO system_prompt_posts (id, owner_id, content, created_at, updated_at) VALUES (@Id, @OwnerId, @Content, @CreatedAt, @UpdatedAt)", r, ct);

    public Task UpdateAsync(PostRow r, CancellationToken ct) =>
        db.ExecuteWriteAsync("UPDATE system_prompt_posts SET content = @Content, updated_at = @UpdatedAt WHERE id = @Id", r, ct);

    public Task DeleteAsync(string id, CancellationToken ct) => db.ExecuteWriteAsync("DELETE FROM system_prompt_posts WHERE id = @id", new { id }, ct);
}
