using Carter;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.ControlToken;

public sealed class ControlTokenEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet("/admin/control_token", async ([FromQuery(Name = "is_available")] int? isAvailable, [FromQuery(Name = "token_name")] string? tokenName,
                    [FromHeader(Name = "Authorization")] string? authorization, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ControlTokenRequest(isAvailable, tokenName, AdminBearer.From(authorization)), ct)))
            .WithTags("Admin")
            .WithSummary("禁用/启用令牌 (seed 002)");
}
