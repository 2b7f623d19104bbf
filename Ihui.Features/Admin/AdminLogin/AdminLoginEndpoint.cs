using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.AdminLogin;

public sealed class AdminLoginEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/admin/login", async (AdminLoginRequest request, HttpContext http, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(request with { ClientIp = http.Connection.RemoteIpAddress?.ToString() ?? "unknown" }, ct)))
            .WithTags("Admin")
            .WithSummary("管理员登录 (seed 002)");
}
