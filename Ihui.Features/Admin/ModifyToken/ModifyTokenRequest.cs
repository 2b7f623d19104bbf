using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.ModifyToken;

/// <summary>
/// Seed 002 <c>POST /admin/modify_token</c>: <c>target_token</c> is the code's name; the seed nests the changes under
/// <c>new_token_limit</c> (<c>new_token_range</c>, <c>new_token_is_available</c>).
/// </summary>
public sealed record ModifyTokenRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? TargetToken { get; init; }
    public TokenChanges? NewTokenLimit { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}

public sealed record TokenChanges
{
    public string? NewTokenRange { get; init; }
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int? NewTokenIsAvailable { get; init; }
}
