using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.DeleteNormalUser;

/// <summary>
/// Seed 002 <c>POST /admin/delete_normal_user</c>. The user is closed, not erased: status −1, the username freed,
/// the ledger kept, so money history stays auditable.
/// </summary>
public sealed record DeleteNormalUserRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? TargetUsername { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
