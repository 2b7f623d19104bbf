using Carter;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.ModifyNormalUser;

public sealed class ModifyNormalUserEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/admin/modify_normal_user", async (ModifyNormalUserRequest request, [FromHeader(Name = "Authorization")] string? authorization,
                    ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(request with { AccessToken = AdminBearer.From(authorization) }, ct)))
            .WithTags("Admin")
            .WithSummary("修改用户信息 (seed 002)");
}
