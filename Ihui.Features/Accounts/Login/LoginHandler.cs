using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Security;
using Mediator;

namespace Ihui.Features.Accounts.Login;

public sealed class LoginHandler(Db db, LoginThrottle throttle, PasswordGate passwords) : IRequestHandler<LoginRequest, LoginResult>
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
        // Counted before the lookup: a burst beyond the limit is refused without touching the database.
        await using var attempt = await throttle.BeginAsync(Scope, username, request.ClientIp);
        Row? user;
        await using (var c = await db.OpenAsync(cancellationToken))
            user = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                "SELECT id AS Id, username AS Username, password_hash AS PasswordHash, " + Common.Users.UserStore.SpendableBalanceSql + " AS Balance, pic_times AS PicTimes " +
                "FROM users WHERE username = @Username AND status = 1", new { Username = username }, cancellationToken: cancellationToken));

        // Unknown user, no password and wrong password look the same to the caller (and take the same time).
        if (!await passwords.VerifyAsync(user?.PasswordHash, request.Password!, cancellationToken) || user is null)
        {
            await attempt.FailedAsync();
            throw ApiException.Unauthorized("invalid username or password");
        }
        await attempt.SucceededAsync();
        return new LoginResult(0, "用户登录成功", user.Id, user.Username, user.Balance, user.PicTimes);
    }
}
