using Carter;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.WalletNonce;

public sealed class WalletNonceEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/auth/nonce", async (WalletNonceRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request, ct)))
            .WithTags("Story platform")
            .WithSummary("Issue a wallet sign-in message");
}
