using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.DeleteToken;

/// <summary>Seed 002 <c>POST /admin/delete_token</c> with <c>target_token</c> (the code's name).</summary>
public sealed record DeleteTokenRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? TargetToken { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}

/// <summary>
/// What the route accepts: seed 002 also documents the user-side redemption (token_id, user_id, user_academy)
/// under this path, so a body with <c>token_id</c> and no <c>target_token</c> is a redemption.
/// </summary>
public sealed record DeleteTokenBody
{
    public string? TargetToken { get; init; }
    public string? TokenId { get; init; }
    public string? UserId { get; init; }
    public string? UserAcademy { get; init; }

    public bool IsRedemption => TargetToken is null && TokenId is not null;
}
