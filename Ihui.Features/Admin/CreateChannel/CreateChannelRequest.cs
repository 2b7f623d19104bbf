using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Vendors.Channels;
using Mediator;

namespace Ihui.Features.Admin.CreateChannel;

/// <summary>
/// <c>POST /admin/channels</c>: a new upstream account of a vendor. <c>models</c> maps each model served (the name Ihui
/// sends the vendor) to the name this account knows it by, or null for the same; absent = every model.
/// </summary>
public sealed record CreateChannelRequest : IRequest<Envelope<ChannelView>>, IAdminRequest
{
    public string? Vendor { get; init; }
    public string? Name { get; init; }
    public string? BaseUrl { get; init; }
    public string? ApiKey { get; init; }
    /// <summary>Kling's and Jimeng's secret key (<see cref="ApiKey"/> is then the access key); refused for the other vendors.</summary>
    public string? SecretKey { get; init; }
    public Dictionary<string, string?>? Models { get; init; }
    public int? Priority { get; init; }
    public int? Weight { get; init; }
    public int? TimeoutSeconds { get; init; }
    public bool? Enabled { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
