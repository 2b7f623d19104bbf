using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Accounts.Login;

public sealed class LoginEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/auth/login", async (LoginRequest request, HttpContext http, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(request with { ClientIp = http.Connection.RemoteIpAddress?.ToString() ?? "unknown" }, ct)))
            .WithTags("Accounts")
            .WithSummary("用户登录 (seed 001/002)");
}
