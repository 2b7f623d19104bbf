using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Users;
using Mediator;

namespace Ihui.Features.Admin.ModifyNormalUser;

public sealed class ModifyNormalUserHandler(Db db, Ledger ledger, AdminAudit audit, CurrentAdmin current, PasswordGate passwords)
    : IRequestHandler<ModifyNormalUserRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(ModifyNormalUserRequest request, CancellationToken cancellationToken)
    {
        var info = request.NewUserInfo!;
        var target = request.TargetUser!.Trim();
        // Hashed before the write: PBKDF2 is slow and must not hold the (SQLite) writer.
        var hash = info.NewPassword is { } password ? await passwords.HashAsync(password, cancellationToken) : null;
        await db.WriteAsync(async (c, tx) =>
        {
            // The balance is read inside the write, so a concurrent charge cannot slip between the read and the
            // adjustment (FOR UPDATE on MySQL; on SQLite the single writer serialises all writes).
            var row = await c.QuerySingleOrDefaultAsync<(string Id, long Balance)?>(
                $"SELECT id, balance FROM users WHERE username = @Target AND status >= 0{db.ForUpdate}", new { Target = target }, tx);
            if (row is not { } found) throw ApiException.NotFound($"user '{target}' does not exist");
            var (id, balance) = found;

            var changes = new List<string>();
            try
            {
                await Set(c, tx, id, "username", info.NewUsername?.Trim(), changes);
            }
            catch (Exception e) when (DbErrors.IsUniqueViolation(e))
            {
                throw ApiException.Conflict("username is already taken");
            }
            await Set(c, tx, id, "email", info.NewEmail?.Trim(), changes);
            await Set(c, tx, id, "academy", info.NewAcademy?.Trim(), changes);
            if (info.NewPicTimes is { } pic) await Set(c, tx, id, "pic_times", pic, changes);
            if (hash is not null)
            {
                await c.ExecuteAsync("UPDATE users SET password_hash = @Hash WHERE id = @Id", new { Hash = hash, Id = id }, tx);
                changes.Add("password");
            }
            if (info.NewTokens is { } tokens)
            {
                // The admin sets what the user can spend (see UserStore.SpendableAsync); never blocked by billing in flight.
                balance = await UserStore.SpendableAsync(c, tx, id);
                var delta = tokens - balance;
                if (delta != 0) await ledger.CreditAsync(c, tx, id, delta, Ledger.Kinds.AdminAdjust, null);
                changes.Add($"tokens {balance}->{tokens}");
            }
            await audit.RecordAsync(c, tx, current.Admin, "modify_normal_user", target, $"user_id={id} " + string.Join(", ", changes));
        }, cancellationToken);
        return SeedReply.Ok("修改用户信息成功");
    }

    // The column name comes from this class, never from the request.
    private static async Task Set<T>(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, string id, string column, T? value, List<string> changes)
    {
        if (value is null) return;
        await c.ExecuteAsync($"UPDATE users SET {column} = @Value WHERE id = @Id", new { Value = value, Id = id }, tx);
        changes.Add(column);
    }
}
