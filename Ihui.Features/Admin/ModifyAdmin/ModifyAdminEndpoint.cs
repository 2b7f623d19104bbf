using Carter;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.ModifyAdmin;

public sealed class ModifyAdminEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/admin/modify_admin", async (ModifyAdminRequest request, [FromHeader(Name = "Authorization")] string? authorization,
                    ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(request with { AccessToken = AdminBearer.From(authorization) }, ct)))
            .WithTags("Admin")
            .WithSummary("修改管理员信息 (seed 002)");
}
