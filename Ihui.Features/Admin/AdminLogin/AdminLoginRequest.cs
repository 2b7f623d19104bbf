using System.Text.Json.Serialization;
using Mediator;

namespace Ihui.Features.Admin.AdminLogin;

/// <summary>Seed 002 <c>POST /admin/login</c> with <c>admin</c> and <c>password</c>.</summary>
public sealed record AdminLoginRequest : IRequest<AdminLoginResult>
{
    public string? Admin { get; init; }
    public string? Password { get; init; }
    [JsonIgnore] public string ClientIp { get; init; } = "unknown";
}

public sealed record AdminLoginResult(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("app_info")] AppInfo AppInfo,
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg);

/// <summary>The iFlytek app the console uses. Keys are masked: a secret never leaves the gateway.</summary>
public sealed record AppInfo(
    [property: JsonPropertyName("app_id")] string AppId,
    [property: JsonPropertyName("api_key")] string ApiKey,
    [property: JsonPropertyName("api_secret")] string ApiSecret);
