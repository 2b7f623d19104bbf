using Ihui.Features.Common.Billing;
using Mediator;

namespace Ihui.Features.Common.Pipeline;

/// <summary>
/// Reserve → call → settle. The estimate is held atomically before the handler runs (402 and no vendor
/// call when short); the vendor's real usage is settled afterwards; any failure refunds the hold in full.
/// </summary>
public sealed class BillingBehaviour<TMessage, TResponse>(Biller biller)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBillable, IMessage
    where TResponse : IBilled
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var hold = await biller.ReserveAsync(message.PriceModel, message.EstimateUsage(), cancellationToken);
        TResponse response;
        try
        {
            response = await next(message, cancellationToken);
        }
        catch
        {
            await biller.RefundAsync(hold);
            throw;
        }
        response.Receipt = await biller.SettleAsync(hold, response.Usage);
        return response;
    }
}
