using Carter;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.WalletLogin;

public sealed class WalletLoginEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/auth/login", async (WalletLoginRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request, ct)))
            .WithTags("Story platform")
            .WithSummary("Sign in with a wallet signature");
}
