using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.ModifyAdmin;

/// <summary>Seed 002 <c>POST /admin/modify_admin</c>. A new password revokes the admin's earlier tokens.</summary>
public sealed record ModifyAdminRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? TargetAdmin { get; init; }
    public string? NewName { get; init; }
    public string? NewPassword { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
