using Mediator;

namespace Ihui.Features.Story.WalletLogin;

/// <summary>
/// <c>POST /api/v1/auth/login</c>: the wallet's <c>personal_sign</c> signature of the message issued by
/// <c>/auth/nonce</c>. <see cref="Message"/> may be left out (seed 003's clients send only the two fields): then the
/// signature must match the address's latest open nonce message.
/// </summary>
public sealed record WalletLoginRequest(string? WalletAddress, string? Signature, string? Message) : IRequest<WalletLoginResult>;

public sealed record WalletLoginResult(string AccessToken, string WalletAddress, string ExpiresAt);
