using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Mediator;

namespace Ihui.Features.Admin.AddToken;

/// <summary>
/// Seed 002 <c>POST /admin/add_token</c>: a redeem code ("令牌") named <c>token_name</c> worth <c>token_limit</c> tokens,
/// redeemable by users of academy <c>token_range</c> (<c>*</c> = any academy). The reply adds <c>token_id</c>, the
/// unguessable code a user redeems.
/// </summary>
public sealed record AddTokenRequest : IRequest<AddTokenResult>, IAdminRequest
{
    public string? TokenName { get; init; }
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public long? TokenLimit { get; init; }
    public string? TokenRange { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}

public sealed record AddTokenResult(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("token_id")] string TokenId);
