using System.Text.Json.Serialization;
using Mediator;

namespace Ihui.Features.Accounts.Login;

/// <summary>Seed 001/002 <c>POST /auth/login</c>. The client IP is set by the endpoint, for throttling.</summary>
public sealed record LoginRequest : IRequest<LoginResult>
{
    public string? Username { get; init; }
    public string? Password { get; init; }
    [JsonIgnore] public string ClientIp { get; init; } = "unknown";
}

/// <summary>Seed 002's login reply (seed 001's is its code/msg/uuid subset); fields at the top level.</summary>
public sealed record LoginResult(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("picTimes")] int PicTimes);
