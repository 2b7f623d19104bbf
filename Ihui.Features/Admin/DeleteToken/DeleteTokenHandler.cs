using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.DeleteToken;

public sealed class DeleteTokenHandler(Db db, AdminAudit audit, CurrentAdmin current) : IRequestHandler<DeleteTokenRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(DeleteTokenRequest request, CancellationToken cancellationToken)
    {
        var name = request.TargetToken!.Trim();
        await db.WriteAsync(async (c, tx) =>
        {
            // The ledger keeps the code's id on any redemption row, so deleting the code loses no money history.
            var deleted = await c.ExecuteAsync("DELETE FROM redeem_codes WHERE name = @Name", new { Name = name }, tx);
            if (deleted != 1) throw ApiException.NotFound($"no redeem code named '{name}'");
            await audit.RecordAsync(c, tx, current.Admin, "delete_token", name);
        }, cancellationToken);
        return SeedReply.Ok($"{name} 删除成功");
    }
}
