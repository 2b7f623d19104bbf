using System.Data.Common;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Quotas;

/// <summary>
/// The picture quota (<c>users.pic_times</c>, seed 002's <c>picTimes</c>): a currency separate from tokens.
/// Every change is written with a <c>pic_times_ledger</c> row in the same transaction, so for every user
/// pic_times = opening value + Σ pic_times_ledger.
/// </summary>
public sealed class PicTimesMeter(Db db, TimeProvider clock)
{
    public static class Kinds
    {
        public const string Grant = "grant";
        public const string Spend = "spend";
        public const string Refund = "refund";
    }

    /// <summary>Takes one use atomically; 402 when none is left.</summary>
    public Task SpendAsync(string userId, string callId, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var taken = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET pic_times = pic_times - 1 WHERE id = @UserId AND pic_times >= 1 AND status = 1",
                new { UserId = userId }, tx, cancellationToken: ct));
            if (taken != 1) throw new ApiException(402, "insufficient_pic_times", "no picture recognitions (picTimes) left");
            await InsertAsync(c, tx, userId, -1, Kinds.Spend, callId);
        }, ct);

    /// <summary>Gives back the use taken for <paramref name="callId"/>, once. Not cancellable: the quota must be restored.</summary>
    public Task RefundAsync(string userId, string callId) =>
        db.WriteAsync(async (c, tx) =>
        {
            var net = await c.ExecuteScalarAsync<long?>(
                $"SELECT SUM(delta) FROM pic_times_ledger WHERE call_id = @CallId AND user_id = @UserId{db.ForUpdate}",
                new { CallId = callId, UserId = userId }, tx) ?? 0;
            if (net < 0)
            {
                await c.ExecuteAsync("UPDATE users SET pic_times = pic_times + @N WHERE id = @UserId", new { N = -net, UserId = userId }, tx);
                await InsertAsync(c, tx, userId, (int)-net, Kinds.Refund, callId);
            }
        });

    /// <summary>Adds uses (admin grants, redeem codes).</summary>
    public async Task GrantAsync(DbConnection c, DbTransaction? tx, string userId, int amount, string kind = Kinds.Grant)
    {
        await c.ExecuteAsync("UPDATE users SET pic_times = pic_times + @N WHERE id = @UserId", new { N = amount, UserId = userId }, tx);
        await InsertAsync(c, tx, userId, amount, kind, null);
    }

    private Task InsertAsync(DbConnection c, DbTransaction? tx, string userId, int delta, string kind, string? callId) =>
        c.ExecuteAsync(
            "INSERT INTO pic_times_ledger (id, user_id, delta, kind, call_id, created_at) VALUES (@Id, @UserId, @Delta, @Kind, @CallId, @Now)",
            new { Id = Guid.CreateVersion7().ToString("N"), UserId = userId, Delta = delta, Kind = kind, CallId = callId, Now = clock.GetUtcNow().UtcDateTime },
            tx);
}
