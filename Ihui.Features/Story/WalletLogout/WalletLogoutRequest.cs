using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.WalletLogout;

/// <summary><c>POST /api/v1/auth/logout</c>: the token of the call is revoked; the next sign-in gets a new one.</summary>
public sealed record WalletLogoutRequest(string? AccessToken) : IRequest<WalletLogoutResult>, IWalletRequest;

public sealed record WalletLogoutResult(string Message);
