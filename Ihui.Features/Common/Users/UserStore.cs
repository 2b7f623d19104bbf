using Dapper;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Users;

public sealed record UserRecord
{
    public string Id { get; init; } = "";
    public string Username { get; init; } = "";
    public string? Email { get; init; }
    public string? Academy { get; init; }
    public long Balance { get; init; }
    public int PicTimes { get; init; }
    public int Status { get; init; }

    public bool Enabled => Status == 1;
}

/// <summary>Users as the gateway needs them: find by uuid, create with an opening grant on the ledger.</summary>
public sealed class UserStore(Db db, Ledger ledger, TimeProvider clock)
{
    /// <summary>
    /// What a user can spend, as users see it (login's tokens, admin queries): the balance column plus what gateway
    /// instances' balance leases still hold on disk, as of their last journal flush (a few milliseconds old).
    /// A column expression on <c>users</c>.
    /// </summary>
    public static readonly string SpendableBalanceSql = Billing.Leases.LeaseStore.VisibleBalanceSql();

    /// <summary><see cref="SpendableBalanceSql"/> of one user, inside the caller's transaction (the column plus leases; it may be read after locking the user's row).</summary>
    public static async Task<long> SpendableAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, string userId) =>
        await c.ExecuteScalarAsync<long>("SELECT balance FROM users WHERE id = @Id", new { Id = userId }, tx)
        + (await c.ExecuteScalarAsync<long?>("SELECT SUM(amount) FROM leases WHERE user_id = @Id", new { Id = userId }, tx) ?? 0);

    private static readonly string Columns =
        "id AS Id, username AS Username, email AS Email, academy AS Academy, " + SpendableBalanceSql + " AS Balance, pic_times AS PicTimes, status AS Status";

    public async Task<UserRecord?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<UserRecord>(
            new CommandDefinition($"SELECT {Columns} FROM users WHERE id = @Id", new { Id = id }, cancellationToken: ct));
    }

    /// <summary>Inserts an enabled user with no balance and no password inside the caller's write transaction; returns its id.</summary>
    public async Task<string> InsertAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, string username, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString();
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO users (id, username, password_hash, email, academy, balance, pic_times, status, created_at) " +
            "VALUES (@Id, @Username, NULL, NULL, NULL, 0, 0, 1, @Now)",
            new { Id = id, Username = username, Now = clock.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
        return id;
    }

    /// <summary>Creates a user; the opening balance is a ledger grant, so balance = Σ ledger from the first row.</summary>
    public async Task<UserRecord> CreateAsync(string username, long openingBalance, string? passwordHash = null,
        string? email = null, string? academy = null, int picTimes = 0, CancellationToken ct = default)
    {
        var id = Guid.NewGuid().ToString();
        try
        {
            await db.WriteAsync(async (c, tx) =>
            {
                await c.ExecuteAsync(
                    "INSERT INTO users (id, username, password_hash, email, academy, balance, pic_times, status, created_at) " +
                    "VALUES (@Id, @Username, @PasswordHash, @Email, @Academy, 0, @PicTimes, 1, @Now)",
                    new { Id = id, Username = username, PasswordHash = passwordHash, Email = email, Academy = academy, PicTimes = picTimes, Now = clock.GetUtcNow().UtcDateTime },
                    tx);
                if (openingBalance > 0) await ledger.CreditAsync(c, tx, id, openingBalance, Ledger.Kinds.Grant, null);
            }, ct);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            // The unique index decides between concurrent creations; every caller (routes, CLI) gets the same 409.
            throw ApiException.Conflict($"username '{username}' is already taken");
        }
        return new UserRecord { Id = id, Username = username, Email = email, Academy = academy, Balance = openingBalance, PicTimes = picTimes, Status = 1 };
    }
}
