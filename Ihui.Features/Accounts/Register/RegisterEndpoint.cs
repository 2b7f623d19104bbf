using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Accounts.Register;

public sealed class RegisterEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/auth/register", async (RegisterRequest request, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(request, ct)))
            .WithTags("Accounts")
            .WithSummary("用户注册 (seed 001/002)");
}
