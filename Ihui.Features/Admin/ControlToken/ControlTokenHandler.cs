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
        var found = await c.ExecuteAsync("UPDATE redeem_codes SET is_available = @Available WHERE name = @Name",
            new { Available = request.IsAvailable, Name = name }, tx);
        if (found != 1) throw ApiException.NotFound($"no redeem code named '{name}'");
        var action = request.IsAvailable == 1 ? "启用" : "禁用";
        await audit.RecordAsync(c, tx, current.Admin, "control_token", name, $"is_available={request.IsAvailable}");
        await tx.CommitAsync(cancellationToken);
        return SeedReply.Ok($"{name} {action}成功");
    }
}
