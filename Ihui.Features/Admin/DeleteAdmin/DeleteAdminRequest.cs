using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.DeleteAdmin;

/// <summary>Seed 002 <c>POST /admin/delete_admin</c>. An admin cannot delete themself, so one admin always remains.</summary>
public sealed record DeleteAdminRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? TargetAdmin { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
