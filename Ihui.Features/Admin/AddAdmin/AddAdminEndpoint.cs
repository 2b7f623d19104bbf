using Carter;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.AddAdmin;

public sealed class AddAdminEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/admin/add_admin", async (AddAdminRequest request, [FromHeader(Name = "Authorization")] string? authorization,
                    ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(request with { AccessToken = AdminBearer.From(authorization) }, ct)))
            .WithTags("Admin")
            .WithSummary("添加管理员 (seed 002)");
}
