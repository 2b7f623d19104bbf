using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Common.Wallet;

/// <summary>After auth: a catalog change from a wallet that is not a platform editor is a 403.</summary>
public sealed class PlatformEditorBehaviour<TMessage, TResponse>(WalletStore wallets, CurrentCaller current)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IPlatformEditorRequest, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var (_, isEditor) = await wallets.AccountAsync(current.Caller.UserId, cancellationToken);
        if (!isEditor) throw ApiException.Forbidden("Only platform editors can change this catalog");
        return await next(message, cancellationToken);
    }
}
