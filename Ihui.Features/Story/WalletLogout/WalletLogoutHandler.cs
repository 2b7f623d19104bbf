using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.WalletLogout;

public sealed class WalletLogoutHandler(WalletStore wallets) : IRequestHandler<WalletLogoutRequest, WalletLogoutResult>
{
    public async ValueTask<WalletLogoutResult> Handle(WalletLogoutRequest request, CancellationToken cancellationToken)
    {
        await wallets.RevokeAsync(request.AccessToken!, cancellationToken);
        return new WalletLogoutResult("Successfully logged out");
    }
}
