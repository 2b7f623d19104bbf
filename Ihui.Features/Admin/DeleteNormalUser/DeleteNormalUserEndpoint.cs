using Carter;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.DeleteNormalUser;

public sealed class DeleteNormalUserEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/admin/delete_normal_user", async (DeleteNormalUserRequest request, [FromHeader(Name = "Authorization")] string? authorization,
                    ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(request with { AccessToken = AdminBearer.From(authorization) }, ct)))
            .WithTags("Admin")
            .WithSummary("删除用户 (seed 002)");
}
