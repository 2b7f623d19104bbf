using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.DeleteAdmin;

public sealed class DeleteAdminHandler(Db db, AdminAudit audit, CurrentAdmin current) : IRequestHandler<DeleteAdminRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(DeleteAdminRequest request, CancellationToken cancellationToken)
    {
        var target = request.TargetAdmin!.Trim();
        await db.WriteAsync(async (c, tx) =>
        {
            var id = await c.ExecuteScalarAsync<string?>("SELECT id FROM admins WHERE name = @Name", new { Name = target }, tx)
                     ?? throw ApiException.NotFound($"admin '{target}' does not exist");
            if (id == current.Admin.Id) throw ApiException.Conflict("an admin cannot delete the account they are signed in with");
            await c.ExecuteAsync("DELETE FROM admins WHERE id = @Id", new { Id = id }, tx);
            await audit.RecordAsync(c, tx, current.Admin, "delete_admin", target, $"admin_id={id}");
        }, cancellationToken);
        return SeedReply.Ok($"{target} 删除成功");
    }
}
