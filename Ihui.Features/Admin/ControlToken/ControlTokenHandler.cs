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
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        // Found by a read: MySQL counts only changed rows, and enabling an enabled code is not an error.
        var id = await c.ExecuteScalarAsync<string?>($"SELECT id FROM redeem_codes WHERE name = @Name{db.ForUpdate}", new { Name = name }, tx)
                 ?? throw ApiException.NotFound($"no redeem code named '{name}'");
        await c.ExecuteAsync("UPDATE redeem_codes SET is_available = @Available WHERE id = @Id", new { Available = request.IsAvailable, Id = id }, tx);
        var action = request.IsAvailable == 1 ? "启用" : "禁用";
        await audit.RecordAsync(c, tx, current.Admin, "control_token", name, $"is_available={request.IsAvailable}");
        await tx.CommitAsync(cancellationToken);
        return SeedReply.Ok($"{name} {action}成功");
    }
}
