using System.Text.Json.Serialization;
using Mediator;

namespace Ihui.Features.Admin.RefreshToken;

/// <summary>Seed 002 <c>GET /admin/refresh</c>: a refresh token (in the bearer header) buys a new access token.</summary>
public sealed record RefreshTokenRequest(string? RefreshToken) : IRequest<RefreshTokenResult>;

public sealed record RefreshTokenResult(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg);
