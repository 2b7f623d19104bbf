using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.DisableChannel;

/// <summary><c>POST /admin/channels/{id}/disable {"reason"?}</c>: routing stops using the channel (on every instance).</summary>
public sealed record DisableChannelRequest : IRequest<Envelope<ChannelView>>, IAdminRequest
{
    [JsonIgnore] public string? Id { get; init; }
    public string? Reason { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
