using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.DeleteNormalUser;

public sealed class DeleteNormalUserHandler(Db db, AdminAudit audit, CurrentAdmin current) : IRequestHandler<DeleteNormalUserRequest, SeedReply>
{
    public const int DeletedStatus = -1;

    public async ValueTask<SeedReply> Handle(DeleteNormalUserRequest request, CancellationToken cancellationToken)
    {
        var target = request.TargetUsername!.Trim();
        await db.WriteAsync(async (c, tx) =>
        {
            var id = await c.ExecuteScalarAsync<string?>(
                $"SELECT id FROM users WHERE username = @Target AND status >= 0{db.ForUpdate}", new { Target = target }, tx)
                ?? throw ApiException.NotFound($"user '{target}' does not exist");
            await c.ExecuteAsync("UPDATE users SET status = @Deleted, username = @Tombstone, password_hash = NULL WHERE id = @Id",
                new { Deleted = DeletedStatus, Tombstone = "deleted-" + id, Id = id }, tx);
            await audit.RecordAsync(c, tx, current.Admin, "delete_normal_user", target, $"user_id={id}");
        }, cancellationToken);
        return SeedReply.Ok($"{target}用户删除成功");
    }
}
