using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Security;

namespace Ihui.Features.Common.Admin;

public sealed record AdminRecord
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public int TokenVersion { get; init; }
}

/// <summary>Admins live in their own table, apart from users; passwords are PBKDF2 hashes.</summary>
public sealed class AdminStore(Db db, TimeProvider clock)
{
    private const string Columns = "id AS Id, name AS Name, password_hash AS PasswordHash, token_version AS TokenVersion";

    public async Task<AdminRecord?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<AdminRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM admins WHERE id = @Id", new { Id = id }, cancellationToken: ct));
    }

    public async Task<AdminRecord?> FindByNameAsync(string name, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<AdminRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM admins WHERE name = @Name", new { Name = name }, cancellationToken: ct));
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM admins", cancellationToken: ct));
    }

    /// <summary>Creates an admin; a taken name is a 409 (the unique index decides under concurrency).</summary>
    public async Task<AdminRecord> CreateAsync(string name, string password, CancellationToken ct = default)
    {
        var admin = new AdminRecord { Id = Guid.NewGuid().ToString(), Name = name, PasswordHash = PasswordHashing.Hash(password), TokenVersion = 1 };
        try
        {
            await db.ExecuteWriteAsync(
                "INSERT INTO admins (id, name, password_hash, token_version, created_at) VALUES (@Id, @Name, @PasswordHash, @TokenVersion, @Now)",
                new { admin.Id, admin.Name, admin.PasswordHash, admin.TokenVersion, Now = clock.GetUtcNow().UtcDateTime }, ct);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            throw Errors.ApiException.Conflict($"admin '{name}' already exists");
        }
        return admin;
    }
}
