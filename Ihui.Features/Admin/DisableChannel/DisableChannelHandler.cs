using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.DisableChannel;

public sealed class DisableChannelHandler(ChannelAdmin channels, AdminAudit audit, CurrentAdmin current)
    : IRequestHandler<DisableChannelRequest, Envelope<ChannelView>>
{
    public async ValueTask<Envelope<ChannelView>> Handle(DisableChannelRequest r, CancellationToken cancellationToken)
    {
        var view = await channels.DisableAsync(r.Id!, r.Reason, cancellationToken);
        await audit.RecordAsync(current.Admin, "channel_disable", $"{view.Vendor}/{view.Name}", view.DisabledReason);
        return Envelope.Ok(view);
    }
}
