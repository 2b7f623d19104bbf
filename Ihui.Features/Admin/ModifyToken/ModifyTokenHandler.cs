using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.ModifyToken;

public sealed class ModifyTokenHandler(Db db, AdminAudit audit, CurrentAdmin current) : IRequestHandler<ModifyTokenRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(ModifyTokenRequest request, CancellationToken cancellationToken)
    {
        var name = request.TargetToken!.Trim();
        var changes = request.NewTokenLimit!;
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        var found = await c.ExecuteAsync(
            "UPDATE redeem_codes SET academy_range = COALESCE(@Range, academy_range), is_available = COALESCE(@Available, is_available) WHERE name = @Name",
            new { Range = changes.NewTokenRange?.Trim(), Available = changes.NewTokenIsAvailable, Name = name }, tx);
        if (found != 1) throw ApiException.NotFound($"no redeem code named '{name}'");
        await audit.RecordAsync(c, tx, current.Admin, "modify_token", name,
            $"range={changes.NewTokenRange?.Trim() ?? "(unchanged)"} is_available={changes.NewTokenIsAvailable?.ToString() ?? "(unchanged)"}");
        await tx.CommitAsync(cancellationToken);
        return SeedReply.Ok("令牌修改成功");
    }
}
