using Ihui.Features.Common.Pipeline;

namespace Ihui.Features.Common.Wallet;

/// <summary><c>Authorization: Bearer paw_…</c>: a wallet sign-in token that is neither expired nor logged out.</summary>
public sealed class WalletTokenResolver(WalletStore wallets) : ICredentialResolver
{
    public CredentialKind Kind => CredentialKind.SessionToken;

    public async ValueTask<Caller?> ResolveAsync(string credential, CancellationToken ct)
    {
        if (!credential.StartsWith("paw_", StringComparison.Ordinal) || credential.Length > 200) return null;
        return await wallets.FindUserByTokenAsync(credential, ct) is { } userId ? new Caller(userId) : null;
    }
}
