using Ihui.Features.Common.Http;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Users;
using Mediator;

namespace Ihui.Features.Accounts.Register;

public sealed class RegisterHandler(UserStore users, AccountOptions options, PasswordGate passwords) : IRequestHandler<RegisterRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(RegisterRequest request, CancellationToken cancellationToken)
    {
        var hash = await passwords.HashAsync(request.Password!, cancellationToken);
        // The opening balance is a ledger grant (CreateAsync), so balance = Σ ledger from the start; a taken name is a 409 there.
        await users.CreateAsync(request.Username!.Trim(), options.NewUserTokens, hash, request.Email!.Trim(),
            string.IsNullOrWhiteSpace(request.Academy) ? null : request.Academy.Trim(), options.NewUserPicTimes, cancellationToken);
        return SeedReply.Ok("用户注册成功");
    }
}
