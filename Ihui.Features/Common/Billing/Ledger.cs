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
public sealed class Ledger(Db db, GatewaySettings settings, TimeProvider clock, WriteRetry retry)
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
        if (db.Dialect == SqlDialect.MySql)
            return await db.WriteOneTripAsync(c => ReserveMySqlAsync(c, null, userId, callId, amount, apiKeyId, clock.GetUtcNow().UtcDateTime, holdFor, ct), ct);
        return await db.WriteAsync((c, tx) => TryReserveAsync(c, tx, userId, callId, amount, apiKeyId, holdFor, ct),
            outcome => outcome == ReserveOutcome.Reserved, ct);
    }

    /// <summary>Holds tokens inside the caller's transaction (so the hold commits with the caller's own rows).</summary>
    public async Task<bool> ReserveAsync(DbConnection c, DbTransaction? tx, string userId, string callId, long amount, TimeSpan? holdFor, CancellationToken ct) =>
        await TryReserveAsync(c, tx, userId, callId, amount, null, holdFor, ct) == ReserveOutcome.Reserved;

    /// <summary>
    /// The reservation inside the caller's transaction. On any outcome but <see cref="ReserveOutcome.Reserved"/> the
    /// caller must roll back: the balance may already have been taken.
    /// </summary>
    public async Task<ReserveOutcome> TryReserveAsync(DbConnection c, DbTransaction? tx, string userId, string callId, long amount,
        string? apiKeyId, TimeSpan? holdFor, CancellationToken ct)
    {
        if (amount <= 0) return ReserveOutcome.Reserved;
        var now = clock.GetUtcNow().UtcDateTime;
        if (db.Dialect == SqlDialect.MySql) return await ReserveMySqlAsync(c, tx, userId, callId, amount, apiKeyId, now, holdFor, ct);
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
    /// MySQL: the reservation as one batch. Each step runs only if the steps before it succeeded (the outcome so far is
    /// kept in session variables), a key that refuses gives the balance back in the same transaction, and the hold and
    /// its ledger row are written only when both limits admitted it: a refusal leaves nothing behind. Outside a caller's
    /// transaction (<paramref name="tx"/> null) the batch is its own transaction, so the balance row is locked for one
    /// round trip only.
    /// </summary>
    private Task<ReserveOutcome> ReserveMySqlAsync(DbConnection c, DbTransaction? tx, string userId, string callId, long amount,
        string? apiKeyId, DateTime now, TimeSpan? holdFor, CancellationToken ct) =>
        db.Hot(c, tx, MySqlReserveSql[(apiKeyId is null ? 0 : 1) + (tx is null ? 2 : 0)])
            .Set("@Amount", amount).Set("@UserId", userId).Set("@KeyId", apiKeyId)
            .Set("@Id", NewId()).Set("@Delta", -amount).Set("@Kind", Kinds.Hold).Set("@CallId", callId).Set("@Now", now)
            .Set("@Expires", now + (holdFor ?? settings.HoldTimeout))
            .FirstAsync(r => (Long(r, 0), Long(r, 1), Long(r, 2)) switch
            {
                (not 1, _, _) => ReserveOutcome.InsufficientBalance,
                (_, 1, _) => ReserveOutcome.Reserved,
                (_, _, > 0) => ReserveOutcome.KeyQuotaExceeded,
                _ => ReserveOutcome.KeyRevoked,
            }, ReserveOutcome.InsufficientBalance, ct);

    /// <summary>[key? 1 : 0] + [own transaction? 2 : 0].</summary>
    private static readonly string[] MySqlReserveSql = [.. from own in (bool[])[false, true] from key in (bool[])[false, true] select MySqlReserve(key, own)];

    private static string MySqlReserve(bool key, bool ownTransaction) =>
        (ownTransaction ? "START TRANSACTION; " : "") +
        "SET @ihui_k = 1, @ihui_live = 1; " +
        "UPDATE users SET balance = balance - @Amount WHERE id = @UserId AND balance >= @Amount AND status = 1; " +
        "SET @ihui_b = ROW_COUNT(); " +
        (key
            ? "UPDATE api_keys SET used = used + @Amount WHERE @ihui_b = 1 AND id = @KeyId AND revoked_at IS NULL AND (quota IS NULL OR used + @Amount <= quota); " +
              "SET @ihui_k = ROW_COUNT(); " +
              "SET @ihui_live = (SELECT COUNT(*) FROM api_keys WHERE id = @KeyId AND revoked_at IS NULL); " +
              "UPDATE users SET balance = balance + @Amount WHERE @ihui_b = 1 AND @ihui_k <> 1 AND id = @UserId; "
            : "") +
        "INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) " +
        "SELECT @Id, @UserId, @Delta, @Kind, @CallId, @Now FROM DUAL WHERE @ihui_b = 1 AND @ihui_k = 1; " +
        "INSERT INTO holds (call_id, user_id, amount, created_at, expires_at, api_key_id) " +
        "SELECT @CallId, @UserId, @Amount, @Now, @Expires, @KeyId FROM DUAL WHERE @ihui_b = 1 AND @ihui_k = 1; " +
        (ownTransaction ? "COMMIT; " : "") +
        "SELECT @ihui_b, @ihui_k, @ihui_live;";

    private static long Long(DbRow r, int i) =>
        r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Releases the hold and charges <paramref name="cost"/>. The charge may exceed the hold; it never takes
    /// the balance below zero unless <c>BILLING_ALLOW_NEGATIVE</c> is set. Not cancellable: money must settle.
    /// A transient database error does not end it: it runs again until it lands (<see cref="WriteRetry"/>), and a run
    /// after a failed one first looks for the settlement's ledger rows, in case the failed one landed before its
    /// connection was lost.
    /// </summary>
    public Task<Receipt> SettleAsync(string userId, string callId, long cost) =>
        retry.UntilLandedAsync("Settlement", callId, async attempt =>
        {
            if (attempt > 1 && await SettledAsync(userId, callId) is { } landed) return landed;
            return db.Dialect == SqlDialect.MySql
                ? await db.WriteOneTripAsync(c => SettleMySqlAsync(c, null, userId, callId, cost))
                : await db.WriteAsync((c, tx) => SettleAsync(c, tx, userId, callId, cost));
        });

    /// <summary>The receipt of a settlement already written (its release or charge rows), or null.</summary>
    private async Task<Receipt?> SettledAsync(string userId, string callId)
    {
        await using var c = await db.OpenAsync();
        var rows = (await c.QueryAsync<(string Kind, long Delta)>(
            "SELECT kind, delta FROM ledger WHERE call_id = @CallId AND user_id = @UserId AND kind IN (@Release, @Charge)",
            new { CallId = callId, UserId = userId, Release = Kinds.Release, Charge = Kinds.Charge })).ToList();
        if (rows.Count == 0) return null;
        var balance = await c.ExecuteScalarAsync<long>("SELECT balance FROM users WHERE id = @UserId", new { UserId = userId });
        return new Receipt(rows.Where(r => r.Kind == Kinds.Release).Sum(r => r.Delta), -rows.Where(r => r.Kind == Kinds.Charge).Sum(r => r.Delta), balance);
    }

    /// <summary>
    /// Settles inside the caller's transaction (the task engine guards its terminal transition in the same one).
    /// The rule, the same on both stores (the billing tests run on both): whoever deletes the hold releases it (a hold
    /// already released counts for nothing); the charge is the cost, capped at the balance plus the hold unless negative
    /// balances are allowed, and capped at what the call's API key has left of its quota (its hold included); the balance
    /// becomes balance + hold − charge, with a release and a charge ledger row.
    /// </summary>
    public async Task<Receipt> SettleAsync(DbConnection c, DbTransaction? tx, string userId, string callId, long cost)
    {
        if (db.Dialect == SqlDialect.MySql) return await SettleMySqlAsync(c, tx, userId, callId, cost);
        var now = clock.GetUtcNow().UtcDateTime;
        var (hold, keyId, balance, used, quota) = await TakeHoldAndReadAsync(c, tx, userId, callId);
        var available = balance + hold;
        var charge = settings.AllowNegativeBalance ? cost : Math.Min(cost, Math.Max(available, 0));
        if (quota is { } q && used is { } u) charge = Math.Min(charge, Math.Max(q - (u - hold), 0));
        var after = available - charge;

        // One command for the writes (a handful of shapes, each prepared once on SQLite's writer).
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
    private async Task<Settling> TakeHoldAndReadAsync(DbConnection c, DbTransaction? tx, string userId, string callId)
    {
        var (hold, keyId) = await TakeHoldAsync(c, tx, callId);
        var (balance, used, quota) = await db.Hot(c, tx,
                "SELECT u.balance, k.used, k.quota FROM users u LEFT JOIN api_keys k ON k.id = @KeyId WHERE u.id = @UserId")
            .Set("@KeyId", keyId).Set("@UserId", userId)
            .FirstAsync(BalanceAndKey, (0L, null, null));
        return new Settling(hold, keyId, balance, used, quota);
    }

    /// <summary>
    /// MySQL: the settlement as one batch, the charge worked out by the server between locking the rows and writing them
    /// (the rule of <see cref="SettleAsync(DbConnection, DbTransaction, string, string, long)"/>). It locks the hold, the
    /// balance and the key in that order, as the reservation takes them. Outside a caller's transaction the batch is its
    /// own transaction: the balance row is locked for one round trip only.
    /// </summary>
    private Task<Receipt> SettleMySqlAsync(DbConnection c, DbTransaction? tx, string userId, string callId, long cost) =>
        db.Hot(c, tx, tx is null ? MySqlSettleOwnSql : MySqlSettleSql)
            .Set("@CallId", callId).Set("@UserId", userId).Set("@Cost", cost).Set("@AllowNegative", settings.AllowNegativeBalance ? 1 : 0)
            .Set("@Id", NewId()).Set("@Release", Kinds.Release).Set("@Now", clock.GetUtcNow().UtcDateTime)
            .Set("@Id2", NewId()).Set("@ChargeKind", Kinds.Charge)
            .FirstAsync(r => new Receipt(Long(r, 0), Long(r, 1), Long(r, 2)), new Receipt(0, 0, 0));

    private const string MySqlSettleBody =
        "SET @ihui_h = 0, @ihui_k = NULL, @ihui_bal = 0, @ihui_used = NULL, @ihui_quota = NULL; " +
        "SELECT amount, api_key_id INTO @ihui_h, @ihui_k FROM holds WHERE call_id = @CallId FOR UPDATE; " +
        "SELECT balance INTO @ihui_bal FROM users WHERE id = @UserId FOR UPDATE; " +
        "SELECT used, quota INTO @ihui_used, @ihui_quota FROM api_keys WHERE id = @ihui_k FOR UPDATE; " +
        "DELETE FROM holds WHERE call_id = @CallId; " +
        "SET @ihui_h = IF(ROW_COUNT() = 1 AND @ihui_h > 0, @ihui_h, 0); " +
        "SET @ihui_used = IF(@ihui_h > 0, @ihui_used, NULL); " +
        "SET @ihui_avail = @ihui_bal + @ihui_h; " +
        "SET @ihui_c = IF(@AllowNegative = 1, @Cost, LEAST(@Cost, GREATEST(@ihui_avail, 0))); " +
        "SET @ihui_c = IF(@ihui_used IS NULL OR @ihui_quota IS NULL, @ihui_c, LEAST(@ihui_c, GREATEST(@ihui_quota - (@ihui_used - @ihui_h), 0))); " +
        "SET @ihui_after = @ihui_avail - @ihui_c; " +
        "UPDATE api_keys SET used = used - @ihui_h + @ihui_c WHERE @ihui_used IS NOT NULL AND id = @ihui_k; " +
        "UPDATE users SET balance = @ihui_after WHERE (@ihui_h <> 0 OR @ihui_c <> 0) AND id = @UserId; " +
        "INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) " +
        "SELECT @Id, @UserId, @ihui_h, @Release, @CallId, @Now FROM DUAL WHERE @ihui_h > 0; " +
        "INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) " +
        "SELECT @Id2, @UserId, -@ihui_c, @ChargeKind, @CallId, @Now FROM DUAL WHERE @ihui_c > 0; ";

    private const string MySqlSettleSql = MySqlSettleBody + "SELECT @ihui_h, @ihui_c, @ihui_after;";
    private const string MySqlSettleOwnSql = "START TRANSACTION; " + MySqlSettleBody + "COMMIT; SELECT @ihui_h, @ihui_c, @ihui_after;";

    private static (long Balance, long? Used, long? Quota) BalanceAndKey(DbRow r) =>
        (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2));

    /// <summary>What a settlement starts from: the hold it took (0 when already released), and the balance and key it charges.</summary>
    private readonly record struct Settling(long Hold, string? KeyId, long Balance, long? Used, long? Quota);

    /// <summary>
    /// Releases the hold in full (vendor error, timeout, cancellation before output). A transient database error does not
    /// end it: it runs again until it lands (a refund that already landed finds no hold).
    /// </summary>
    public Task RefundAsync(string userId, string callId) =>
        retry.UntilLandedAsync("Refund", callId, _ => db.WriteAsync((c, tx) => RefundAsync(c, tx, userId, callId)));

    /// <summary>Moves a live hold's expiry to <paramref name="holdFor"/> from now, so the sweeper leaves a long call's hold alone.</summary>
    public async Task<bool> RenewHoldAsync(string callId, TimeSpan holdFor, CancellationToken ct = default) =>
        await db.ExecuteWriteAsync("UPDATE holds SET expires_at = @Expires WHERE call_id = @CallId",
            new { Expires = clock.GetUtcNow().UtcDateTime + holdFor, CallId = callId }, ct) == 1;

    /// <summary>Releases the hold inside the caller's transaction; returns the amount given back.</summary>
    public async Task<long> RefundAsync(DbConnection c, DbTransaction? tx, string userId, string callId)
    {
        var (hold, keyId) = await TakeHoldAsync(c, tx, callId);
        if (hold > 0) await CreditAsync(c, tx, userId, hold, Kinds.Refund, callId);
        if (hold > 0 && keyId is not null) await UpdateKeyAsync(c, tx, keyId, hold, 0);
        return hold;
    }

    /// <summary>Adds tokens to a balance (opening grants, top-ups, redeem codes) inside the caller's write transaction.</summary>
    public async Task CreditAsync(DbConnection c, DbTransaction? tx, string userId, long amount, string kind, string? callId)
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
    private async Task<(long Amount, string? ApiKeyId)> TakeHoldAsync(DbConnection c, DbTransaction? tx, string callId)
    {
        static (long, string?) Read(DbRow r) => (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1));
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
    private Task<int> UpdateKeyAsync(DbConnection c, DbTransaction? tx, string keyId, long hold, long charge) =>
        db.Hot(c, tx, "UPDATE api_keys SET used = used - @Hold + @Charge WHERE id = @KeyId")
            .Set("@Hold", hold).Set("@Charge", charge).Set("@KeyId", keyId).ExecuteAsync();

    private Task<int> InsertLedgerAsync(DbConnection c, DbTransaction? tx, string userId, long delta, string kind, string? callId, DateTime now) =>
        db.Hot(c, tx, InsertLedger)
            .Set("@Id", NewId()).Set("@UserId", userId).Set("@Delta", delta).Set("@Kind", kind).Set("@CallId", callId).Set("@Now", now)
            .ExecuteAsync();

    private static string NewId() => Guid.CreateVersion7().ToString("N");
}

public enum ReserveOutcome { Reserved, InsufficientBalance, KeyQuotaExceeded, KeyRevoked }
