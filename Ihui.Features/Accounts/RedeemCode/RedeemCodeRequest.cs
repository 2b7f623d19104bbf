using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Accounts.RedeemCode;

/// <summary>
/// Seed 002's last route (a user redeems a "令牌"): <c>token_id</c> is the code, <c>user_id</c> the user's uuid
/// (which must name an enabled user), <c>user_academy</c> optional and checked against the stored academy.
/// </summary>
public sealed record RedeemCodeRequest : IRequest<SeedReply>, IAuthenticatedRequest
{
    public string? TokenId { get; init; }
    public string? UserId { get; init; }
    public string? UserAcademy { get; init; }

    Credential IAuthenticatedRequest.Credential => new(CredentialKind.UserUuid, UserId);
}
