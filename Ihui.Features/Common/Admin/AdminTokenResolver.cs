using Ihui.Features.Common.Pipeline;

namespace Ihui.Features.Common.Admin;

/// <summary>
/// <see cref="CredentialKind.AdminToken"/>: a valid admin access token. The caller's id is the admin's id (not a
/// user), so admin requests must not be <c>IBillable</c>. A password change bumps the token version and so
/// revokes the admin's earlier tokens; a deleted admin's tokens stop working at once.
/// </summary>
public sealed class AdminTokenResolver(AdminTokens tokens, AdminStore admins, CurrentAdmin current) : ICredentialResolver
{
    public CredentialKind Kind => CredentialKind.AdminToken;

    public async ValueTask<Caller?> ResolveAsync(string credential, CancellationToken ct)
    {
        if (await tokens.ValidateAsync(credential, TokenUse.Access) is not { } claims) return null;
        if (await admins.FindAsync(claims.AdminId, ct) is not { } admin || admin.TokenVersion != claims.Version) return null;
        current.Set(admin);
        return new Caller(admin.Id);
    }
}
