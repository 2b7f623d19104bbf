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
        await db.WriteAsync(async (c, tx) =>
        {
            // Found by a read: MySQL counts only changed rows, and setting a value it already has is not an error.
            var id = await c.ExecuteScalarAsync<string?>($"SELECT id FROM redeem_codes WHERE name = @Name{db.ForUpdate}", new { Name = name }, tx)
                     ?? throw ApiException.NotFound($"no redeem code named '{name}'");
            await c.ExecuteAsync(
                "UPDATE redeem_codes SET academy_range = COALESCE(@Range, academy_range), is_available = COALESCE(@Available, is_available) WHERE id = @Id",
                new { Range = changes.NewTokenRange?.Trim(), Available = changes.NewTokenIsAvailable, Id = id }, tx);
            await audit.RecordAsync(c, tx, current.Admin, "modify_token", name,
                $"range={changes.NewTokenRange?.Trim() ?? "(unchanged)"} is_available={changes.NewTokenIsAvailable?.ToString() ?? "(unchanged)"}");
        }, cancellationToken);
        return SeedReply.Ok("令牌修改成功");
    }
}
