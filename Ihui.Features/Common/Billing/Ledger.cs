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
    public async Task<bool> ReserveAsync(string userId, string callId, long amount, TimeSpan? holdFor = null, CancellationToken ct = default)
    {
        if (amount <= 0) return true;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var taken = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET balance = balance - @Amount WHERE id = @UserId AND balance >= @Amount AND status = 1",
            new { Amount = amount, UserId = userId }, tx, cancellationToken: ct));
        if (taken != 1) return false;
        await c.ExecuteAsync(new CommandDefinition(
            InsertLedger + ";INSERT INTO holds (call_id, user_id, amount, created_at, expires_at) VALUES (@CallId, @UserId, @Amount, @Now, @Expires)",
            new
            {
                Id = NewId(), UserId = userId, Delta = -amount, Kind = Kinds.Hold, CallId = callId, Now = now,
                Amount = amount, Expires = now + (holdFor ?? settings.HoldTimeout),
            }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Releases the hold and charges <paramref name="cost"/>. The charge may exceed the hold; it never takes
    /// the balance below zero unless <c>BILLING_ALLOW_NEGATIVE</c> is set. Not cancellable: money must settle.
    /// </summary>
    public async Task<Receipt> SettleAsync(string userId, string callId, long cost)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var hold = await TakeHoldAsync(c, tx, callId);
        var balance = await c.ExecuteScalarAsync<long>(
            $"SELECT balance FROM users WHERE id = @UserId{db.ForUpdate}", new { UserId = userId }, tx);
        var available = balance + hold;
        var charge = settings.AllowNegativeBalance ? cost : Math.Min(cost, Math.Max(available, 0));
        var after = available - charge;
        if (hold != 0 || charge != 0)
        {
            await c.ExecuteAsync("UPDATE users SET balance = @After WHERE id = @UserId", new { After = after, UserId = userId }, tx);
            var rows = new List<object>(2);
            if (hold > 0) rows.Add(new { Id = NewId(), UserId = userId, Delta = hold, Kind = Kinds.Release, CallId = callId, Now = now });
            if (charge > 0) rows.Add(new { Id = NewId(), UserId = userId, Delta = -charge, Kind = Kinds.Charge, CallId = callId, Now = now });
            await c.ExecuteAsync(InsertLedger, rows, tx);
        }
        await tx.CommitAsync();
        return new Receipt(hold, charge, after);
    }

    /// <summary>Releases the hold in full (vendor error, timeout, cancellation before output).</summary>
    public async Task RefundAsync(string userId, string callId)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var hold = await TakeHoldAsync(c, tx, callId);
        if (hold > 0) await CreditAsync(c, tx, userId, hold, Kinds.Refund, callId);
        await tx.CommitAsync();
    }

    /// <summary>Adds tokens to a balance (opening grants, top-ups, redeem codes).</summary>
    public async Task CreditAsync(DbConnection c, DbTransaction tx, string userId, long amount, string kind, string? callId)
    {
        await c.ExecuteAsync("UPDATE users SET balance = balance + @Amount WHERE id = @UserId", new { Amount = amount, UserId = userId }, tx);
        await c.ExecuteAsync(InsertLedger,
            new { Id = NewId(), UserId = userId, Delta = amount, Kind = kind, CallId = callId, Now = clock.GetUtcNow().UtcDateTime }, tx);
    }

    /// <summary>Releases holds whose call never settled (the process died); returns how many.</summary>
    public async Task<int> ReleaseExpiredAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenAsync(ct);
        var expired = (await c.QueryAsync<(string CallId, string UserId)>(
            "SELECT call_id AS CallId, user_id AS UserId FROM holds WHERE expires_at < @Now", new { Now = now })).ToList();
        var released = 0;
        foreach (var (callId, userId) in expired)
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var hold = await TakeHoldAsync(c, tx, callId);
            if (hold > 0)
            {
                await CreditAsync(c, tx, userId, hold, Kinds.Expired, callId);
                released++;
            }
            await tx.CommitAsync(ct);
        }
        return released;
    }

    private async Task<long> TakeHoldAsync(DbConnection c, DbTransaction tx, string callId)
    {
        var hold = await c.ExecuteScalarAsync<long?>(
            $"SELECT amount FROM holds WHERE call_id = @CallId{db.ForUpdate}", new { CallId = callId }, tx) ?? 0;
        if (hold == 0) return 0;
        var deleted = await c.ExecuteAsync("DELETE FROM holds WHERE call_id = @CallId", new { CallId = callId }, tx);
        return deleted == 1 ? hold : 0;
    }

    private static string NewId() => Guid.CreateVersion7().ToString("N");
}
