using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.WalletNonce;

public sealed class WalletNonceHandler(WalletStore wallets) : IRequestHandler<WalletNonceRequest, WalletNonceResult>
{
    public async ValueTask<WalletNonceResult> Handle(WalletNonceRequest request, CancellationToken cancellationToken)
    {
        var issued = await wallets.IssueNonceAsync(request.WalletAddress!, cancellationToken);
        return new WalletNonceResult(issued.Message, issued.Nonce, StoryJson.Time(issued.ExpiresAt));
    }
}
