using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.TestChannel;

/// <summary>
/// <c>POST /admin/channels/{id}/test {"model"?}</c>: one real, unbilled call to this channel alone, enabled or not. A chat
/// vendor gets a chat completion (one short user message, <c>max_tokens</c> 16) for <c>model</c>, by default the channel's
/// first listed model (a channel that serves every model needs one named); a task vendor (Kling, Jimeng, Suno) a query
/// of a task id it never issues (see <see cref="Common.Vendors.Channels.IChannelProbe"/>).
/// </summary>
public sealed record TestChannelRequest : IRequest<Envelope<TestChannelResult>>, IAdminRequest
{
    [JsonIgnore] public string? Id { get; init; }
    public string? Model { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}

/// <summary><c>ok</c> with the vendor's reply (a task vendor's "no such task"), <c>model</c> null for a query that names none, or the error the call got (status as a client would see it); the channel after the test.</summary>
public sealed record TestChannelResult(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("latency_ms")] long LatencyMs,
    [property: JsonPropertyName("reply")] string? Reply,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("channel")] ChannelView Channel);
