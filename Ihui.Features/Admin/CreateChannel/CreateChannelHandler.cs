using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Vendors.Channels;
using Mediator;

namespace Ihui.Features.Admin.CreateChannel;

public sealed class CreateChannelHandler(ChannelAdmin channels, AdminAudit audit, CurrentAdmin current)
    : IRequestHandler<CreateChannelRequest, Envelope<ChannelView>>
{
    public async ValueTask<Envelope<ChannelView>> Handle(CreateChannelRequest r, CancellationToken cancellationToken)
    {
        var view = await channels.CreateAsync(r.Vendor!, new ChannelChange
        {
            Name = r.Name!.Trim(), BaseUrl = r.BaseUrl!.Trim(), ApiKey = r.ApiKey!, SecretKey = r.SecretKey, Models = r.Models, Priority = r.Priority, Weight = r.Weight,
            TimeoutSeconds = r.TimeoutSeconds, Enabled = r.Enabled,
        }, cancellationToken);
        await audit.RecordAsync(current.Admin, "channel_create", $"{view.Vendor}/{view.Name}",
            $"id={view.Id} base_url={view.BaseUrl} priority={view.Priority} weight={view.Weight} enabled={view.Enabled}");
        return Envelope.Ok(view);
    }
}
