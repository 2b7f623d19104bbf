using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Storage;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.PromptedImages;

public sealed class PromptedImagesEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapPost(GenerateAvatarRequest.Route, async (HttpRequest http, GenerateAvatarRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with { AccessToken = Bearer.Token(http), Origin = PublicUrls.RequestOrigin(http) }, ct)))
            .WithTags("Story platform")
            .WithSummary("Generate a character's image: an LLM writes the prompt, a t2i model draws it");
        app.MapPost(GenerateBackgroundRequest.Route, async (HttpRequest http, GenerateBackgroundRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with { AccessToken = Bearer.Token(http), Origin = PublicUrls.RequestOrigin(http) }, ct)))
            .WithTags("Story platform")
            .WithSummary("Generate a story's background image: an LLM writes the prompt, a t2i model draws it");
    }
}
