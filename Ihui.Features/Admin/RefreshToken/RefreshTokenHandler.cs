using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Errors;
using Mediator;

namespace Ihui.Features.Admin.RefreshToken;

public sealed class RefreshTokenHandler(AdminTokens tokens, AdminStore admins) : IRequestHandler<RefreshTokenRequest, RefreshTokenResult>
{
    public async ValueTask<RefreshTokenResult> Handle(RefreshTokenRequest request, CancellationToken cancellationToken)
    {
        tokens.EnsureConfigured();
        // Only a refresh token is accepted here, and only for an admin that still exists with the same token version.
        if (string.IsNullOrEmpty(request.RefreshToken)
            || await tokens.ValidateAsync(request.RefreshToken, TokenUse.Refresh) is not { } claims
            || await admins.FindAsync(claims.AdminId, cancellationToken) is not { } admin
            || admin.TokenVersion != claims.Version)
            throw ApiException.Unauthorized("invalid or expired refresh token");
        return new RefreshTokenResult(tokens.Issue(admin, TokenUse.Access), 0, "刷新令牌成功");
    }
}
