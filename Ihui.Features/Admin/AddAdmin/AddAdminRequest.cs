using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.AddAdmin;

/// <summary>Seed 002 <c>POST /admin/add_admin</c>.</summary>
public sealed record AddAdminRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? Admin { get; init; }
    public string? Password { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
