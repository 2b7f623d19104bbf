using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.SelectSpeakers;

public sealed class SelectSpeakersEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/story_chat/select-speakers", async (HttpRequest http, SelectSpeakersRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with { AccessToken = Bearer.Token(http) }, ct)))
            .WithTags("Story platform")
            .WithSummary("Select the speakers");
}
