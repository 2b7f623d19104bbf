using Ihui.Features.Common.Errors;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Wallet;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Story.WalletLogin;

/// <summary>
/// Checks the message against the one issued (domain, URI, chain, address, nonce, times), recovers the signer, uses the
/// nonce up (once, whatever the concurrency) and answers the wallet's valid token, or a new one.
/// </summary>
public sealed class WalletLoginHandler(WalletStore wallets, WalletOptions options, TimeProvider clock, ILogger<WalletLoginHandler> logger)
    : IRequestHandler<WalletLoginRequest, WalletLoginResult>
{
    public async ValueTask<WalletLoginResult> Handle(WalletLoginRequest request, CancellationToken cancellationToken)
    {
        var address = WalletAddress.Normalize(request.WalletAddress!);
        var issued = request.Message is { Length: > 0 } message
            ? await IssuedForAsync(message, address, cancellationToken)
            : await wallets.LatestOpenNonceAsync(address, cancellationToken)
              ?? throw ApiException.Unauthorized("No open sign-in nonce for this wallet: request one from /api/v1/auth/nonce");

        if (WalletAddress.RecoverPersonalSign(issued.Message, request.Signature!) != address)
            throw ApiException.Unauthorized("Signature verification failed");

        var session = await wallets.SignInAsync(issued.Nonce, address, cancellationToken)
                      ?? throw ApiException.Unauthorized("This sign-in nonce was already used or has expired");
        logger.LogInformation("Wallet {Wallet} signed in as user {UserId}", address, session.UserId);
        return new WalletLoginResult(session.AccessToken, WalletAddress.Checksummed(address), StoryJson.Time(session.ExpiresAt));
    }

    private async Task<NonceRow> IssuedForAsync(string message, string address, CancellationToken ct)
    {
        var siwe = SiweMessage.TryParse(message) ?? throw ApiException.Unauthorized("The message is not an EIP-4361 sign-in message");
        if (siwe.Domain != options.Domain) throw ApiException.Unauthorized("The message names another domain");
        if (siwe.Uri != options.Uri) throw ApiException.Unauthorized("The message names another URI");
        if (siwe.ChainId != options.ChainId) throw ApiException.Unauthorized("The message names another chain");
        if (siwe.Version != "1") throw ApiException.Unauthorized("The message's version is not 1");
        if (WalletAddress.Normalize(siwe.Address) != address) throw ApiException.Unauthorized("The message names another address");
        var row = await wallets.FindNonceAsync(siwe.Nonce, ct);
        if (row is null || row.WalletAddress != address || row.Message != message.Replace("\r\n", "\n"))
            throw ApiException.Unauthorized("This message was not issued by /api/v1/auth/nonce for this wallet");
        var now = clock.GetUtcNow().UtcDateTime;
        if (row.UsedAt is not null || row.ExpiresAt <= now || siwe.ExpirationTime is { } exp && exp <= now)
            throw ApiException.Unauthorized("This sign-in nonce was already used or has expired");
        return row with { Message = message };
    }
}
