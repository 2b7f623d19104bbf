using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Security;
using Mediator;

namespace Ihui.Features.Accounts.Login;

public sealed class LoginHandler(Db db, LoginThrottle throttle) : IRequestHandler<LoginRequest, LoginResult>
{
    private const string Scope = "user";

    private sealed record Row
    {
        public string Id { get; init; } = "";
        public string Username { get; init; } = "";
        public string? PasswordHash { get; init; }
        public long Balance { get; init; }
        public int PicTimes { get; init; }
    }

    public async ValueTask<LoginResult> Handle(LoginRequest request, CancellationToken cancellationToken)
    {
        var username = request.Username!.Trim();
        await throttle.ThrowIfLockedAsync(Scope, username, request.ClientIp);
        Row? user;
        await using (var c = await db.OpenAsync(cancellationToken))
            user = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                "SELECT id AS Id, username AS Username, password_hash AS PasswordHash, " + Common.Users.UserStore.SpendableBalanceSql + " AS Balance, pic_times AS PicTimes " +
                "FROM users WHERE username = @Username AND status = 1", new { Username = username }, cancellationToken: cancellationToken));

        // Unknown user, no password and wrong password look the same to the caller (and take the same time).
        if (!PasswordHashing.Verify(user?.PasswordHash, request.Password!) || user is null)
        {
            await throttle.RecordFailureAsync(Scope, username, request.ClientIp);
            throw ApiException.Unauthorized("invalid username or password");
        }
        await throttle.RecordSuccessAsync(Scope, username);
        return new LoginResult(0, "用户登录成功", user.Id, user.Username, user.Balance, user.PicTimes);
    }
}
