using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.UpdateChannel;

/// <summary>
/// <c>PATCH /admin/channels/{id}</c>: any subset of a channel's fields; <c>"all_models": true</c> drops its model list
/// (it serves every model). <c>"enabled": true</c> puts a disabled channel back and clears its reason.
/// </summary>
public sealed record UpdateChannelRequest : IRequest<Envelope<ChannelView>>, IAdminRequest
{
    [JsonIgnore] public string? Id { get; init; }
    public string? Name { get; init; }
    public string? BaseUrl { get; init; }
    public string? ApiKey { get; init; }
    /// <summary>Kling's and Jimeng's secret key (<see cref="ApiKey"/> is then the access key); refused for the other vendors.</summary>
    public string? SecretKey { get; init; }
    public Dictionary<string, string?>? Models { get; init; }
    public bool? AllModels { get; init; }
    public int? Priority { get; init; }
    public int? Weight { get; init; }
    public int? TimeoutSeconds { get; init; }
    public bool? Enabled { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
