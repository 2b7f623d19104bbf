using Carter;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.RefreshToken;

public sealed class RefreshTokenEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet("/admin/refresh", async ([FromHeader(Name = "Authorization")] string? authorization, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new RefreshTokenRequest(AdminBearer.From(authorization)), ct)))
            .WithTags("Admin")
            .WithSummary("刷新令牌 (seed 002)");
}
