using System.Security.Cryptography;
using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Mediator;

namespace Ihui.Features.Admin.AddToken;

public sealed class AddTokenHandler(Db db, AdminAudit audit, CurrentAdmin current, TimeProvider clock) : IRequestHandler<AddTokenRequest, AddTokenResult>
{
    public async ValueTask<AddTokenResult> Handle(AddTokenRequest request, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var name = request.TokenName!.Trim();
        await db.WriteAsync(async (c, tx) =>
        {
            try
            {
                await c.ExecuteAsync(
                    "INSERT INTO redeem_codes (id, name, amount, academy_range, is_available, created_at) VALUES (@Id, @Name, @Amount, @Range, 1, @Now)",
                    new { Id = id, Name = name, Amount = request.TokenLimit, Range = request.TokenRange!.Trim(), Now = clock.GetUtcNow().UtcDateTime }, tx);
            }
            catch (Exception e) when (DbErrors.IsUniqueViolation(e))
            {
                throw ApiException.Conflict($"a redeem code named '{name}' already exists");
            }
            await audit.RecordAsync(c, tx, current.Admin, "add_token", name, $"amount={request.TokenLimit} range={request.TokenRange!.Trim()}");
        }, cancellationToken);
        return new AddTokenResult(0, "创建令牌成功", id);
    }
}
