using Mediator;

namespace Ihui.Features.Story.WalletNonce;

/// <summary><c>POST /api/v1/auth/nonce</c>: an EIP-4361 message for the wallet to sign; its nonce is good once, for a few minutes.</summary>
public sealed record WalletNonceRequest(string? WalletAddress) : IRequest<WalletNonceResult>;

public sealed record WalletNonceResult(string Message, string Nonce, string ExpiresAt);
