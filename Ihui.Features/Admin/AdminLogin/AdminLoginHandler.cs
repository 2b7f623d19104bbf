using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Users;
using Mediator;

namespace Ihui.Features.Admin.AdminLogin;

public sealed class AdminLoginHandler(AdminStore admins, AdminTokens tokens, AdminAudit audit, LoginThrottle throttle, AccountOptions options)
    : IRequestHandler<AdminLoginRequest, AdminLoginResult>
{
    private const string Scope = "admin";

    public async ValueTask<AdminLoginResult> Handle(AdminLoginRequest request, CancellationToken cancellationToken)
    {
        tokens.EnsureConfigured();
        var name = request.Admin!.Trim();
        await throttle.ThrowIfLockedAsync(Scope, name, request.ClientIp);
        var admin = await admins.FindByNameAsync(name, cancellationToken);
        if (!await throttle.VerifyAsync(Scope, name, request.ClientIp, admin?.PasswordHash, request.Password!, cancellationToken) || admin is null)
            throw ApiException.Unauthorized("invalid admin name or password");
        await throttle.RecordSuccessAsync(Scope, name);
        await audit.RecordAsync(admin, "login", admin.Name, $"ip={request.ClientIp}");
        return new AdminLoginResult(tokens.Issue(admin, TokenUse.Access), tokens.Issue(admin, TokenUse.Refresh),
            new AppInfo(options.AppId, options.ApiKeyHint, options.ApiSecretHint), 0, "管理员登录成功");
    }
}
