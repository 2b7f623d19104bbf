using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.UpdateChannel;

public sealed class UpdateChannelHandler(ChannelAdmin channels, AdminAudit audit, CurrentAdmin current)
    : IRequestHandler<UpdateChannelRequest, Envelope<ChannelView>>
{
    public async ValueTask<Envelope<ChannelView>> Handle(UpdateChannelRequest r, CancellationToken cancellationToken)
    {
        var view = await channels.UpdateAsync(r.Id!, new ChannelChange
        {
            Name = r.Name?.Trim(), BaseUrl = r.BaseUrl?.Trim(), ApiKey = r.ApiKey, SecretKey = r.SecretKey, Models = r.Models, AllModels = r.AllModels == true,
            Priority = r.Priority, Weight = r.Weight, TimeoutSeconds = r.TimeoutSeconds, Enabled = r.Enabled,
        }, cancellationToken);
        var changed = string.Join(" ", new[]
        {
            r.Name is null ? null : "name", r.BaseUrl is null ? null : "base_url", r.ApiKey is null ? null : "api_key", r.SecretKey is null ? null : "secret_key",
            r.Models is null && r.AllModels != true ? null : "models", r.Priority is null ? null : $"priority={r.Priority}",
            r.Weight is null ? null : $"weight={r.Weight}", r.TimeoutSeconds is null ? null : $"timeout_seconds={r.TimeoutSeconds}",
            r.Enabled is null ? null : $"enabled={r.Enabled}",
        }.Where(s => s is not null));
        await audit.RecordAsync(current.Admin, "channel_update", $"{view.Vendor}/{view.Name}", changed);
        return Envelope.Ok(view);
    }
}
