using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Security;
using Mediator;

namespace Ihui.Features.Admin.ModifyAdmin;

public sealed class ModifyAdminHandler(Db db, AdminStore admins, AdminAudit audit, CurrentAdmin current, PasswordGate passwords) : IRequestHandler<ModifyAdminRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(ModifyAdminRequest request, CancellationToken cancellationToken)
    {
        var target = request.TargetAdmin!.Trim();
        var admin = await admins.FindByNameAsync(target, cancellationToken) ?? throw ApiException.NotFound($"admin '{target}' does not exist");
        var name = request.NewName?.Trim();
        // Hashed before the write: PBKDF2 is slow and must not hold the (SQLite) writer.
        var hash = request.NewPassword is { } password ? await passwords.HashAsync(password, cancellationToken) : null;
        await db.WriteAsync(async (c, tx) =>
        {
            var changes = new List<string>();
            if (name is not null)
            {
                try
                {
                    await c.ExecuteAsync("UPDATE admins SET name = @Name WHERE id = @Id", new { Name = name, admin.Id }, tx);
                }
                catch (Exception e) when (DbErrors.IsUniqueViolation(e))
                {
                    throw ApiException.Conflict($"admin '{name}' already exists");
                }
                changes.Add($"name -> {name}");
            }
            if (hash is not null)
            {
                await c.ExecuteAsync("UPDATE admins SET password_hash = @Hash, token_version = token_version + 1 WHERE id = @Id",
                    new { Hash = hash, admin.Id }, tx);
                changes.Add("password (tokens revoked)");
            }
            await audit.RecordAsync(c, tx, current.Admin, "modify_admin", target, $"admin_id={admin.Id} " + string.Join(", ", changes));
        }, cancellationToken);
        return SeedReply.Ok("修改用户信息成功");
    }
}
