using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Users;
using Mediator;

namespace Ihui.Features.Admin.AddNormalUser;

public sealed class AddNormalUserHandler(UserStore users, AdminAudit audit, CurrentAdmin current, PasswordGate passwords) : IRequestHandler<AddNormalUserRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(AddNormalUserRequest request, CancellationToken cancellationToken)
    {
        var hash = await passwords.HashAsync(request.Password!, cancellationToken);
        var user = await users.CreateAsync(request.Username!.Trim(), request.Tokens ?? 0, hash,
            string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(),
            string.IsNullOrWhiteSpace(request.Academy) ? null : request.Academy.Trim(), request.PicTimes ?? 0, cancellationToken);
        await audit.RecordAsync(current.Admin, "add_normal_user", user.Username, $"user_id={user.Id} tokens={user.Balance} pictimes={user.PicTimes}");
        return SeedReply.Ok("添加用户成功");
    }
}
