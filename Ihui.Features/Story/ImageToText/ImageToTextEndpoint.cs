using Ihui.Features.Common.ChatCompletions;
using Carter;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.ImageToText;

public sealed class ImageToTextEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(ImageToTextRequest.Route, async (HttpContext http, ChatCompletionsBody body, ISender sender, GatewaySettings settings, CancellationToken ct) =>
            {
                var result = await sender.Send(new ImageToTextRequest(body with { Model = body.Model ?? body.ModelId }, Bearer.Token(http.Request),
                    settings.DefaultMaxOutputTokens), ct);
                if (result.Receipt is { } receipt)
                {
                    http.Response.Headers["X-Ihui-Charged"] = receipt.Charged.ToString();
                    http.Response.Headers["X-Ihui-Balance"] = receipt.Balance.ToString();
                }
                return Results.Json(result.Response, ChatCompletionsJson.Options);
            })
            .WithTags("Story platform")
            .WithSummary("Image to text: an OpenAI chat completion from an i2t model (seed 003)");
}
