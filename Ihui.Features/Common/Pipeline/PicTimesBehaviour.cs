using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Quotas;
using Mediator;

namespace Ihui.Features.Common.Pipeline;

/// <summary>A request paid for with one picture use (<c>picTimes</c>) instead of tokens.</summary>
public interface IPicTimesRequest : IAuthenticatedRequest;

/// <summary>
/// Spend one picture use before the handler runs (402 and no vendor call when none is left); give it back
/// when the handler fails. Runs after auth, so the caller is known.
/// </summary>
public sealed class PicTimesBehaviour<TMessage, TResponse>(PicTimesMeter meter, CurrentCaller current, CallContext call)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IPicTimesRequest, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var userId = current.Caller.UserId;
        await meter.SpendAsync(userId, call.CallId, cancellationToken);
        try
        {
            return await next(message, cancellationToken);
        }
        catch
        {
            await meter.RefundAsync(userId, call.CallId);
            throw;
        }
    }
}
