using System.Data.Common;
using System.Globalization;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Common.Billing.Leases;

public enum TopUpOutcome { TakenFromBalance, InsufficientBalance, KeyQuotaExceeded, KeyRevoked, LeaseGone }

/// <summary>The ledger kinds of leases. Each row names its lease in <c>call_id</c>.</summary>
public static class LeaseKinds
{
    /// <summary>Taken from the balance into a lease (−L): at the lease's start and at each top-up.</summary>
    public const string Lease = "lease";

    /// <summary>What a flush charged against a lease (+Σ charges), next to its calls' <c>charge</c> rows.</summary>
    public const string Release = "lease_release";

    /// <summary>The unused remainder given back (idle, shutdown).</summary>
    public const string Return = "lease_return";

    /// <summary>A dead instance's lease, given back by the sweeper.</summary>
    public const string Expired = "lease_expired";
}

/// <summary>
/// The lease rows and their ledger rows. Taking from the balance is one conditional statement
/// (<c>balance = balance - @x WHERE balance >= @x</c>), in one write transaction with the key's quota, the ledger row
/// and the lease row; whoever deletes a lease row (its own instance returning it, or the sweeper) gives its amount back,
/// so a lease is given back exactly once.
/// </summary>
public sealed class LeaseStore(Db db, LeaseOptions options, TimeProvider clock)
{
    private const string InsertLedger =
        "INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) VALUES (@Id, @UserId, @Delta, @Kind, @CallId, @Now)";

    /// <summary>
    /// What a user can spend, as users see it: the balance column plus what leases still hold on disk. Use as a column
    /// expression on <c>users</c> (the table or <paramref name="alias"/>).
    /// </summary>
    public static string VisibleBalanceSql(string alias = "users") =>
        $"({alias}.balance + COALESCE((SELECT SUM(l.amount) FROM leases l WHERE l.user_id = {alias}.id), 0))";

    public readonly record struct TopUp(TopUpOutcome Outcome, long Seen);

    /// <summary>
    /// Takes <paramref name="amount"/> into the lease (creating its row on the first take). <paramref name="force"/>
    /// (a charge above the hold with negative balances allowed) takes it whatever the balance. On success
    /// <see cref="TopUp.Seen"/> is the balance column plus the other instances' leases, after the take.
    /// </summary>
    public Task<TopUp> TopUpAsync(Lease lease, long amount, bool force, CancellationToken ct) =>
        db.WriteAsync((c, tx) => TopUpAsync(c, tx, lease, amount, force, ct), r => r.Outcome == TopUpOutcome.TakenFromBalance, ct);

    private async Task<TopUp> TopUpAsync(DbConnection c, DbTransaction? tx, Lease lease, long amount, bool force, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var taken = await db.Hot(c, tx,
                "UPDATE users SET balance = balance - @Amount WHERE id = @UserId AND ((balance >= @Amount AND status = 1) OR @Force = 1)")
            .Set("@Amount", amount).Set("@UserId", lease.UserId).Set("@Force", force ? 1 : 0).ExecuteAsync(ct);
        if (taken != 1) return new(TopUpOutcome.InsufficientBalance, 0);
        if (lease.ApiKeyId is { } keyId)
        {
            var counted = await db.Hot(c, tx,
                    "UPDATE api_keys SET used = used + @Amount WHERE id = @KeyId AND revoked_at IS NULL AND (@Force = 1 OR quota IS NULL OR used + @Amount <= quota)")
                .Set("@Amount", amount).Set("@KeyId", keyId).Set("@Force", force ? 1 : 0).ExecuteAsync(ct);
            if (counted != 1)
            {
                var live = await db.Hot(c, tx, "SELECT COUNT(*) FROM api_keys WHERE id = @KeyId AND revoked_at IS NULL")
                    .Set("@KeyId", keyId).FirstAsync(r => r.GetInt64(0), 0, ct);
                return new(live == 0 ? TopUpOutcome.KeyRevoked : TopUpOutcome.KeyQuotaExceeded, 0);
            }
        }
        if (lease.Created)
        {
            var grown = await db.Hot(c, tx, "UPDATE leases SET amount = amount + @Amount, expires_at = @Expires WHERE id = @LeaseId")
                .Set("@Amount", amount).Set("@LeaseId", lease.Id).Set("@Expires", now + options.Ttl).ExecuteAsync(ct);
            if (grown != 1) return new(TopUpOutcome.LeaseGone, 0);
        }
        else
        {
            await db.Hot(c, tx,
                    "INSERT INTO leases (id, user_id, api_key_id, instance_id, amount, created_at, expires_at) VALUES (@LeaseId, @UserId, @KeyId, @Instance, @Amount, @Now, @Expires)")
                .Set("@LeaseId", lease.Id).Set("@UserId", lease.UserId).Set("@KeyId", lease.ApiKeyId).Set("@Instance", options.InstanceId)
                .Set("@Amount", amount).Set("@Now", now).Set("@Expires", now + options.Ttl).ExecuteAsync(ct);
        }
        await db.Hot(c, tx, InsertLedger)
            .Set("@Id", NewId()).Set("@UserId", lease.UserId).Set("@Delta", -amount).Set("@Kind", LeaseKinds.Lease).Set("@CallId", lease.Id).Set("@Now", now)
            .ExecuteAsync(ct);
        var seen = await db.Hot(c, tx, SeenSql).Set("@UserId", lease.UserId).Set("@Instance", options.InstanceId).FirstAsync(r => Long(r, 0), 0, ct);
        return new(TopUpOutcome.TakenFromBalance, seen);
    }

    /// <summary>The balance column plus the leases of other instances (this instance adds what its own leases have in memory).</summary>
    internal const string SeenSql =
        "SELECT u.balance + COALESCE((SELECT SUM(l.amount) FROM leases l WHERE l.user_id = u.id AND l.instance_id <> @Instance), 0) FROM users u WHERE u.id = @UserId";

    /// <summary>Moves this instance's leases' expiry on; returns the ids of those still on disk.</summary>
    public Task<HashSet<string>> RenewAsync(CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await db.Hot(c, tx, "UPDATE leases SET expires_at = @Expires WHERE instance_id = @Instance")
                .Set("@Expires", now + options.Ttl).Set("@Instance", options.InstanceId).ExecuteAsync(ct);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT id FROM leases WHERE instance_id = @Instance";
            var p = cmd.CreateParameter();
            p.ParameterName = "@Instance";
            p.Value = options.InstanceId;
            cmd.Parameters.Add(p);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) ids.Add(r.GetString(0));
            return ids;
        }, ct);

    /// <summary>
    /// Gives back every expired lease (its instance died or lost the database for longer than the lease's life), each in
    /// a transaction of its own that deletes the row first: exactly one sweeper gives a lease back, whichever instance
    /// runs it. Returns how many were given back.
    /// </summary>
    public async Task<int> SweepExpiredAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<string> expired = [];
        await using (var c = await db.OpenAsync(ct))
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id FROM leases WHERE expires_at < @Now";
            var p = cmd.CreateParameter();
            p.ParameterName = "@Now";
            p.Value = now;
            cmd.Parameters.Add(p);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) expired.Add(r.GetString(0));
        }
        var swept = 0;
        foreach (var id in expired)
            swept += await db.WriteAsync(async (c, tx) =>
            {
                var row = await TakeRowAsync(c, tx, id, now, expiredOnly: true);
                if (row is not { } taken) return 0;
                await GiveBackAsync(c, tx, taken.UserId, taken.KeyId, taken.Amount, LeaseKinds.Expired, id, now);
                return 1;
            }, ct);
        return swept;
    }

    /// <summary>Deletes the lease row (whoever deletes it gives it back); null when it was already gone.</summary>
    internal async Task<(string UserId, string? KeyId, long Amount)?> TakeRowAsync(DbConnection c, DbTransaction? tx, string leaseId, DateTime now, bool expiredOnly)
    {
        static (string, string?, long) Read(DbRow r) => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), Long(r, 2));
        var condition = expiredOnly ? " AND expires_at < @Now" : "";
        var row = await db.Hot(c, tx, $"SELECT user_id, api_key_id, amount FROM leases WHERE id = @LeaseId{condition}{db.ForUpdate}")
            .Set("@LeaseId", leaseId).Set("@Now", now).FirstAsync<(string, string?, long)?>(r => Read(r), null);
        if (row is null) return null;
        var deleted = await db.Hot(c, tx, $"DELETE FROM leases WHERE id = @LeaseId{condition}").Set("@LeaseId", leaseId).Set("@Now", now).ExecuteAsync();
        return deleted == 1 ? row : null;
    }

    /// <summary>Credits a lease's remainder back to the balance and the key's quota, with its ledger row.</summary>
    internal async Task GiveBackAsync(DbConnection c, DbTransaction? tx, string userId, string? keyId, long amount, string kind, string leaseId, DateTime now)
    {
        if (amount == 0) return;
        await db.Hot(c, tx, "UPDATE users SET balance = balance + @Amount WHERE id = @UserId").Set("@Amount", amount).Set("@UserId", userId).ExecuteAsync();
        if (keyId is not null)
            await db.Hot(c, tx, "UPDATE api_keys SET used = used - @Amount WHERE id = @KeyId").Set("@Amount", amount).Set("@KeyId", keyId).ExecuteAsync();
        await db.Hot(c, tx, InsertLedger)
            .Set("@Id", NewId()).Set("@UserId", userId).Set("@Delta", amount).Set("@Kind", kind).Set("@CallId", leaseId).Set("@Now", now)
            .ExecuteAsync();
    }

    internal static long Long(DbRow r, int i) => r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    internal static string NewId() => Guid.CreateVersion7().ToString("N");
}
