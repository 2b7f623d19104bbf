using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.ControlToken;

public sealed class ControlTokenHandler(Db db, AdminAudit audit, CurrentAdmin current) : IRequestHandler<ControlTokenRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(ControlTokenRequest request, CancellationToken cancellationToken)
    {
        var name = request.TokenName!.Trim();
        await db.WriteAsync(async (c, tx) =>
        {
            // Found by a read: MySQL counts only changed rows, and enabling an enabled code is not an error.
            var id = await c.ExecuteScalarAsync<string?>($"SELECT id FROM redeem_codes WHERE name = @Name{db.ForUpdate}", new { Name = name }, tx)
                     ?? throw ApiException.NotFound($"no redeem code named '{name}'");
            await c.ExecuteAsync("UPDATE redeem_codes SET is_available = @Available WHERE id = @Id", new { Available = request.IsAvailable, Id = id }, tx);
            await audit.RecordAsync(c, tx, current.Admin, "control_token", name, $"is_available={request.IsAvailable}");
        }, cancellationToken);
        var action = request.IsAvailable == 1 ? "启用" : "禁用";
        return SeedReply.Ok($"{name} {action}成功");
    }
}
