using System.Data.Common;
using Dapper;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Common.Billing;

/// <summary>
/// Every balance change, written with its ledger row in one transaction.
/// A hold is recorded in <c>holds</c>; whoever deletes that row (settle, refund or the sweeper)
/// is the one that releases it, so a hold is released exactly once.
/// </summary>
public sealed class Ledger(Db db, GatewaySettings settings, TimeProvider clock)
{
    public static class Kinds
    {
        public const string Grant = "grant";
        public const string Hold = "hold";
        public const string Release = "release";
        public const string Charge = "charge";
        public const string Refund = "refund";
        public const string Expired = "hold_expired";
        public const string AdminAdjust = "admin_adjust";
        public const string Redeem = "redeem";
    }

    private const string InsertLedger =
        "INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) VALUES (@Id, @UserId, @Delta, @Kind, @CallId, @Now)";

    /// <summary>Holds <paramref name="amount"/> tokens atomically; false when the balance is short.</summary>
    public async Task<bool> ReserveAsync(string userId, string callId, long amount, TimeSpan? holdFor = null, CancellationToken ct = default) =>
        await TryReserveAsync(userId, callId, amount, null, holdFor, ct) == ReserveOutcome.Reserved;

    /// <summary>
    /// Holds <paramref name="amount"/> tokens atomically from the balance and, when the call is made with an API key,
    /// from that key's quota in the same transaction: either both limits admit the hold or nothing changes.
    /// </summary>
    public async Task<ReserveOutcome> TryReserveAsync(string userId, string callId, long amount, string? apiKeyId,
        TimeSpan? holdFor = null, CancellationToken ct = default)
    {
        if (amount <= 0) return ReserveOutcome.Reserved;
        return await db.WriteAsync((c, tx) => TryReserveAsync(c, tx, userId, callId, amount, apiKeyId, holdFor, ct),
            outcome => outcome == ReserveOutcome.Reserved, ct);
    }

    /// <summary>Holds tokens inside the caller's transaction (so the hold commits with the caller's own rows).</summary>
    public async Task<bool> ReserveAsync(DbConnection c, DbTransaction tx, string userId, string callId, long amount, TimeSpan? holdFor, CancellationToken ct) =>
        await TryReserveAsync(c, tx, userId, callId, amount, null, holdFor, ct) == ReserveOutcome.Reserved;

    /// <summary>
    /// The reservation inside the caller's transaction. On any outcome but <see cref="ReserveOutcome.Reserved"/> the
    /// caller must roll back: the balance may already have been taken.
    /// </summary>
    public async Task<ReserveOutcome> TryReserveAsync(DbConnection c, DbTransaction tx, string userId, string callId, long amount,
        string? apiKeyId, TimeSpan? holdFor, CancellationToken ct)
    {
        if (amount <= 0) return ReserveOutcome.Reserved;
        var now = clock.GetUtcNow().UtcDateTime;
        if (db.Dialect == SqlDialect.MySql) return await TryReserveOneTripAsync(c, tx, userId, callId, amount, apiKeyId, now, holdFor, ct);
        var taken = await db.Hot(c, tx, "UPDATE users SET balance = balance - @Amount WHERE id = @UserId AND balance >= @Amount AND status = 1")
            .Set("@Amount", amount).Set("@UserId", userId).ExecuteAsync(ct);
        if (taken != 1) return ReserveOutcome.InsufficientBalance;
        if (apiKeyId is not null)
        {
            var counted = await db.Hot(c, tx,
                    "UPDATE api_keys SET used = used + @Amount WHERE id = @KeyId AND revoked_at IS NULL AND (quota IS NULL OR used + @Amount <= quota)")
                .Set("@Amount", amount).Set("@KeyId", apiKeyId).ExecuteAsync(ct);
            if (counted != 1)
            {
                var revoked = await db.Hot(c, tx, "SELECT COUNT(*) FROM api_keys WHERE id = @KeyId AND revoked_at IS NULL")
                    .Set("@KeyId", apiKeyId).FirstAsync(r => r.GetInt64(0), 0, ct) == 0;
                return revoked ? ReserveOutcome.KeyRevoked : ReserveOutcome.KeyQuotaExceeded;
            }
        }
        await db.Hot(c, tx,
                InsertLedger + ";INSERT INTO holds (call_id, user_id, amount, created_at, expires_at, api_key_id) VALUES (@CallId, @UserId, @Amount, @Now, @Expires, @KeyId)")
            .Set("@Id", NewId()).Set("@UserId", userId).Set("@Delta", -amount).Set("@Kind", Kinds.Hold).Set("@CallId", callId).Set("@Now", now)
            .Set("@Amount", amount).Set("@Expires", now + (holdFor ?? settings.HoldTimeout)).Set("@KeyId", apiKeyId)
            .ExecuteAsync(ct);
        return ReserveOutcome.Reserved;
    }

    /// <summary>
    /// MySQL: the reservation in one round trip. Every statement runs and the outcome is read from the row counts;
    /// on any outcome but <see cref="ReserveOutcome.Reserved"/> the transaction is rolled back (by
    /// <see cref="Db.WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, Func{T, bool}, CancellationToken)"/> or
    /// by the caller, as the contract above says), so the rows written on a refusal never stand.
    /// </summary>
    private Task<ReserveOutcome> TryReserveOneTripAsync(DbConnection c, DbTransaction tx, string userId, string callId, long amount,
        string? apiKeyId, DateTime now, TimeSpan? holdFor, CancellationToken ct)
    {
        const string TakeBalance = "UPDATE users SET balance = balance - @Amount WHERE id = @UserId AND balance >= @Amount AND status = 1; SELECT ROW_COUNT();";
        const string CountKey =
            "UPDATE api_keys SET used = used + @Amount WHERE id = @KeyId AND revoked_at IS NULL AND (quota IS NULL OR used + @Amount <= quota); " +
            "SELECT ROW_COUNT(); SELECT COUNT(*) FROM api_keys WHERE id = @KeyId AND revoked_at IS NULL;";
        const string Record = InsertLedger +
            "; INSERT INTO holds (call_id, user_id, amount, created_at, expires_at, api_key_id) VALUES (@CallId, @UserId, @Amount, @Now, @Expires, @KeyId)";
        return db.Hot(c, tx, TakeBalance + (apiKeyId is null ? "" : CountKey) + Record)
            .Set("@Amount", amount).Set("@UserId", userId).Set("@KeyId", apiKeyId)
            .Set("@Id", NewId()).Set("@Delta", -amount).Set("@Kind", Kinds.Hold).Set("@CallId", callId).Set("@Now", now)
            .Set("@Expires", now + (holdFor ?? settings.HoldTimeout))
            .ReadAsync(async (r, token) =>
            {
                var balanceTaken = await ScalarAsync(r, token) == 1;
                if (apiKeyId is null) return balanceTaken ? ReserveOutcome.Reserved : ReserveOutcome.InsufficientBalance;
                var keyCounted = await NextScalarAsync(r, token) == 1;
                var keyLive = await NextScalarAsync(r, token) > 0;
                if (!balanceTaken) return ReserveOutcome.InsufficientBalance;
                if (keyCounted) return ReserveOutcome.Reserved;
                return keyLive ? ReserveOutcome.KeyQuotaExceeded : ReserveOutcome.KeyRevoked;
            }, ct);
    }

    private static async Task<long> ScalarAsync(DbDataReader r, CancellationToken ct) =>
        await r.ReadAsync(ct) && !r.IsDBNull(0) ? Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static async Task<long> NextScalarAsync(DbDataReader r, CancellationToken ct) =>
        await r.NextResultAsync(ct) ? await ScalarAsync(r, ct) : 0;

    /// <summary>
    /// Releases the hold and charges <paramref name="cost"/>. The charge may exceed the hold; it never takes
    /// the balance below zero unless <c>BILLING_ALLOW_NEGATIVE</c> is set. Not cancellable: money must settle.
    /// </summary>
    public Task<Receipt> SettleAsync(string userId, string callId, long cost) =>
        db.WriteAsync((c, tx) => SettleAsync(c, tx, userId, callId, cost));

    /// <summary>Settles inside the caller's transaction (the task engine guards its terminal transition in the same one).</summary>
    public async Task<Receipt> SettleAsync(DbConnection c, DbTransaction tx, string userId, string callId, long cost)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (hold, keyId, balance, used, quota) = db.Dialect == SqlDialect.MySql
            ? await TakeHoldAndLockMySqlAsync(c, tx, userId, callId)
            : await TakeHoldAndReadAsync(c, tx, userId, callId);
        var available = balance + hold;
        var charge = settings.AllowNegativeBalance ? cost : Math.Min(cost, Math.Max(available, 0));
        // Like the balance, a key's quota is never overrun: the charge is capped at what the key has left (its hold included).
        if (quota is { } q && used is { } u) charge = Math.Min(charge, Math.Max(q - (u - hold), 0));
        var after = available - charge;

        // One command for the writes (a handful of shapes, each prepared once on SQLite's writer; one round trip on MySQL).
        var sql = new System.Text.StringBuilder();
        if (used is not null) sql.Append("UPDATE api_keys SET used = used - @Hold + @Charge WHERE id = @KeyId;");
        if (hold != 0 || charge != 0)
        {
            sql.Append("UPDATE users SET balance = @After WHERE id = @UserId;");
            if (hold > 0) sql.Append("INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) VALUES (@Id, @UserId, @Hold, @Release, @CallId, @Now);");
            if (charge > 0) sql.Append("INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) VALUES (@Id2, @UserId, @Minus, @ChargeKind, @CallId, @Now);");
        }
        if (sql.Length > 0)
            await db.Hot(c, tx, sql.ToString())
                .Set("@Hold", hold).Set("@Charge", charge).Set("@KeyId", keyId).Set("@After", after).Set("@UserId", userId)
                .Set("@Id", NewId()).Set("@Release", Kinds.Release).Set("@CallId", callId).Set("@Now", now)
                .Set("@Id2", NewId()).Set("@Minus", -charge).Set("@ChargeKind", Kinds.Charge)
                .ExecuteAsync();
        return new Receipt(hold, charge, after);
    }

    /// <summary>SQLite (the write transaction already serialises): take the hold, then read the balance and the key's use together.</summary>
    private async Task<Settling> TakeHoldAndReadAsync(DbConnection c, DbTransaction tx, string userId, string callId)
    {
        var (hold, keyId) = await TakeHoldAsync(c, tx, callId);
        var (balance, used, quota) = await db.Hot(c, tx,
                "SELECT u.balance, k.used, k.quota FROM users u LEFT JOIN api_keys k ON k.id = @KeyId WHERE u.id = @UserId")
            .Set("@KeyId", keyId).Set("@UserId", userId)
            .FirstAsync(BalanceAndKey, (0L, null, null));
        return new Settling(hold, keyId, balance, used, quota);
    }

    /// <summary>
    /// MySQL, in one round trip: lock and read the hold, the balance and the key (in that order, as the other paths
    /// take them) and delete the hold.
    /// </summary>
    private Task<Settling> TakeHoldAndLockMySqlAsync(DbConnection c, DbTransaction tx, string userId, string callId) =>
        db.Hot(c, tx,
                "SELECT amount, api_key_id FROM holds WHERE call_id = @CallId FOR UPDATE; " +
                "SELECT u.balance, k.used, k.quota FROM users u LEFT JOIN api_keys k ON k.id = (SELECT api_key_id FROM holds WHERE call_id = @CallId) " +
                "WHERE u.id = @UserId FOR UPDATE; " +
                "DELETE FROM holds WHERE call_id = @CallId; SELECT ROW_COUNT();")
            .Set("@CallId", callId).Set("@UserId", userId)
            .ReadAsync(async (r, token) =>
            {
                var (amount, key) = await r.ReadAsync(token) ? (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1)) : (0L, null);
                var (balance, used, quota) = await r.NextResultAsync(token) && await r.ReadAsync(token) ? BalanceAndKey(r) : (0L, null, null);
                var deleted = await NextScalarAsync(r, token);
                // Whoever deletes the hold releases it: a hold already released counts for nothing here.
                return deleted == 1 && amount > 0 ? new Settling(amount, key, balance, used, quota) : new Settling(0, null, balance, null, null);
            });

    private static (long Balance, long? Used, long? Quota) BalanceAndKey(DbDataReader r) =>
        (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2));

    /// <summary>What a settlement starts from: the hold it took (0 when already released), and the balance and key it charges.</summary>
    private readonly record struct Settling(long Hold, string? KeyId, long Balance, long? Used, long? Quota);

    /// <summary>Releases the hold in full (vendor error, timeout, cancellation before output).</summary>
    public Task RefundAsync(string userId, string callId) =>
        db.WriteAsync((c, tx) => RefundAsync(c, tx, userId, callId));

    /// <summary>Releases the hold inside the caller's transaction; returns the amount given back.</summary>
    public async Task<long> RefundAsync(DbConnection c, DbTransaction tx, string userId, string callId)
    {
        var (hold, keyId) = await TakeHoldAsync(c, tx, callId);
        if (hold > 0) await CreditAsync(c, tx, userId, hold, Kinds.Refund, callId);
        if (hold > 0 && keyId is not null) await UpdateKeyAsync(c, tx, keyId, hold, 0);
        return hold;
    }

    /// <summary>Adds tokens to a balance (opening grants, top-ups, redeem codes) inside the caller's write transaction.</summary>
    public async Task CreditAsync(DbConnection c, DbTransaction tx, string userId, long amount, string kind, string? callId)
    {
        await db.Hot(c, tx, "UPDATE users SET balance = balance + @Amount WHERE id = @UserId").Set("@Amount", amount).Set("@UserId", userId).ExecuteAsync();
        await InsertLedgerAsync(c, tx, userId, amount, kind, callId, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Releases holds whose call never settled (the process died); returns how many.</summary>
    public async Task<int> ReleaseExpiredAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(string CallId, string UserId)> expired;
        await using (var c = await db.OpenAsync(ct))
            expired = (await c.QueryAsync<(string CallId, string UserId)>(
                "SELECT call_id AS CallId, user_id AS UserId FROM holds WHERE expires_at < @Now", new { Now = now })).ToList();
        var released = 0;
        foreach (var (callId, userId) in expired)
        {
            released += await db.WriteAsync(async (c, tx) =>
            {
                var (hold, keyId) = await TakeHoldAsync(c, tx, callId);
                if (hold == 0) return 0;
                await CreditAsync(c, tx, userId, hold, Kinds.Expired, callId);
                if (keyId is not null) await UpdateKeyAsync(c, tx, keyId, hold, 0);
                return 1;
            }, ct);
        }
        return released;
    }

    /// <summary>Deletes the call's hold; whoever deletes it releases it. Returns what it held (0 when already released).</summary>
    private async Task<(long Amount, string? ApiKeyId)> TakeHoldAsync(DbConnection c, DbTransaction tx, string callId)
    {
        static (long, string?) Read(DbDataReader r) => (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1));
        // SQLite and MariaDB delete and read in one statement (one round trip less); MySQL has no DELETE … RETURNING.
        if (db.Dialect == SqlDialect.Sqlite || c is MySqlConnector.MySqlConnection { ServerVersion: var version } && version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase))
            return await db.Hot(c, tx, "DELETE FROM holds WHERE call_id = @CallId RETURNING amount, api_key_id")
                .Set("@CallId", callId).FirstAsync(Read, (0L, null));
        var row = await db.Hot(c, tx, "SELECT amount, api_key_id FROM holds WHERE call_id = @CallId FOR UPDATE")
            .Set("@CallId", callId).FirstAsync(Read, (0L, null));
        if (row.Item1 <= 0) return (0, null);
        var deleted = await db.Hot(c, tx, "DELETE FROM holds WHERE call_id = @CallId").Set("@CallId", callId).ExecuteAsync();
        return deleted == 1 ? row : (0, null);
    }

    /// <summary>Replaces the key's held amount by the charge.</summary>
    private Task<int> UpdateKeyAsync(DbConnection c, DbTransaction tx, string keyId, long hold, long charge) =>
        db.Hot(c, tx, "UPDATE api_keys SET used = used - @Hold + @Charge WHERE id = @KeyId")
            .Set("@Hold", hold).Set("@Charge", charge).Set("@KeyId", keyId).ExecuteAsync();

    private Task<int> InsertLedgerAsync(DbConnection c, DbTransaction tx, string userId, long delta, string kind, string? callId, DateTime now) =>
        db.Hot(c, tx, InsertLedger)
            .Set("@Id", NewId()).Set("@UserId", userId).Set("@Delta", delta).Set("@Kind", kind).Set("@CallId", callId).Set("@Now", now)
            .ExecuteAsync();

    private static string NewId() => Guid.CreateVersion7().ToString("N");
}

public enum ReserveOutcome { Reserved, InsufficientBalance, KeyQuotaExceeded, KeyRevoked }
