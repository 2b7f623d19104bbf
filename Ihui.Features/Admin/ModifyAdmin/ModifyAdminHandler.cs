using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Security;
using Mediator;

namespace Ihui.Features.Admin.ModifyAdmin;

public sealed class ModifyAdminHandler(Db db, AdminStore admins, AdminAudit audit, CurrentAdmin current) : IRequestHandler<ModifyAdminRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(ModifyAdminRequest request, CancellationToken cancellationToken)
    {
        var target = request.TargetAdmin!.Trim();
        var admin = await admins.FindByNameAsync(target, cancellationToken) ?? throw ApiException.NotFound($"admin '{target}' does not exist");
        var changes = new List<string>();
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        if (request.NewName is { } name)
        {
            try
            {
                await c.ExecuteAsync("UPDATE admins SET name = @Name WHERE id = @Id", new { Name = name.Trim(), admin.Id }, tx);
            }
            catch (Exception e) when (DbErrors.IsUniqueViolation(e))
            {
                throw ApiException.Conflict($"admin '{name.Trim()}' already exists");
            }
            changes.Add($"name -> {name.Trim()}");
        }
        if (request.NewPassword is { } password)
        {
            await c.ExecuteAsync("UPDATE admins SET password_hash = @Hash, token_version = token_version + 1 WHERE id = @Id",
                new { Hash = PasswordHashing.Hash(password), admin.Id }, tx);
            changes.Add("password (tokens revoked)");
        }
        await audit.RecordAsync(c, tx, current.Admin, "modify_admin", target, $"admin_id={admin.Id} " + string.Join(", ", changes));
        await tx.CommitAsync(cancellationToken);
        return SeedReply.Ok("修改用户信息成功");
    }
}
