using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.WalletLogout;

public sealed class WalletLogoutEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/auth/logout", async (HttpRequest http, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new WalletLogoutRequest(Bearer.Token(http)), ct)))
            .WithTags("Story platform")
            .WithSummary("Log out (the token stops working at once)");
}
