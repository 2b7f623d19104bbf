using Ihui.Features.Common.Users;

namespace Ihui.Features.Common.Pipeline;

/// <summary>Seed 000's <c>user_uuid</c>: an existing, enabled user.</summary>
public sealed class UserUuidResolver(UserStore users) : ICredentialResolver
{
    public CredentialKind Kind => CredentialKind.UserUuid;

    public async ValueTask<Caller?> ResolveAsync(string credential, CancellationToken ct)
    {
        if (!Guid.TryParse(credential, out _)) return null;
        var user = await users.FindAsync(credential, ct);
        return user is { Enabled: true } ? new Caller(user.Id) : null;
    }
}
