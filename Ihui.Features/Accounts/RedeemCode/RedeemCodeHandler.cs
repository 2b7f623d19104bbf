using Dapper;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Users;
using Mediator;

namespace Ihui.Features.Accounts.RedeemCode;

public sealed class RedeemCodeHandler(Db db, Ledger ledger, UserStore users, CurrentCaller caller, TimeProvider clock)
    : IRequestHandler<RedeemCodeRequest, SeedReply>
{
    private sealed record CodeRow
    {
        public long Amount { get; init; }
        public string AcademyRange { get; init; } = "";
        public int IsAvailable { get; init; }
        public string? RedeemedBy { get; init; }
    }

    public async ValueTask<SeedReply> Handle(RedeemCodeRequest request, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(caller.Caller.UserId, cancellationToken) ?? throw ApiException.Unauthorized("user_id does not name an enabled user");
        if (!string.IsNullOrWhiteSpace(request.UserAcademy) && !string.Equals(request.UserAcademy.Trim(), user.Academy, StringComparison.Ordinal))
            throw ApiException.Forbidden("user_academy is not this user's academy");

        await db.WriteAsync(async (c, tx) =>
        {
            // One conditional UPDATE decides who wins: concurrent redemptions of one code find it taken.
            var taken = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE redeem_codes SET redeemed_by = @UserId, redeemed_at = @Now " +
                "WHERE id = @Id AND redeemed_by IS NULL AND is_available = 1 AND (academy_range = '*' OR academy_range = @Academy)",
                new { UserId = user.Id, Now = clock.GetUtcNow().UtcDateTime, Id = request.TokenId, Academy = user.Academy ?? "" }, tx,
                cancellationToken: cancellationToken));
            var code = await c.QuerySingleOrDefaultAsync<CodeRow>(new CommandDefinition(
                "SELECT amount AS Amount, academy_range AS AcademyRange, is_available AS IsAvailable, redeemed_by AS RedeemedBy FROM redeem_codes WHERE id = @Id",
                new { Id = request.TokenId }, tx, cancellationToken: cancellationToken));
            if (taken != 1)
            {
                throw code switch
                {
                    null => ApiException.NotFound("no such redeem code"),
                    { RedeemedBy: not null } => ApiException.Conflict("this redeem code has already been used"),
                    { IsAvailable: not 1 } => ApiException.Forbidden("this redeem code is disabled"),
                    _ => ApiException.Forbidden("this redeem code is not valid for the user's academy"),
                };
            }
            await ledger.CreditAsync(c, tx, user.Id, code!.Amount, Ledger.Kinds.Redeem, request.TokenId);
        }, cancellationToken);
        return SeedReply.Ok("兑换令牌成功");
    }
}
