using Ihui.Features.Common.Limits;
using Ihui.Features.Common.Pipeline;

namespace Ihui.Features.Common.Wallet;

/// <summary>
/// A seed-003 request made with a wallet token (<c>Authorization: Bearer paw_…</c>): authenticated, and counted against
/// the user's rate limit. The endpoint copies the token in (<see cref="Http.Bearer"/>).
/// </summary>
public interface IWalletRequest : IAuthenticatedRequest, IUserRateLimited
{
    string? AccessToken { get; }
    Credential IAuthenticatedRequest.Credential => new(CredentialKind.SessionToken, AccessToken);
}

/// <summary>A change to a platform catalog: only platform editors may make it (403 otherwise).</summary>
public interface IPlatformEditorRequest : IWalletRequest;
