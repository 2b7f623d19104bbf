using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.Stories;

/// <summary>Seed 003's story routes: drafts (<c>/stories</c>), publishing, and the published stories a user has not started.</summary>
public sealed class StoriesEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Story platform");
        group.MapPost("/stories", async (HttpRequest http, CreateStoryRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Created(await sender.Send(request with { AccessToken = Bearer.Token(http) }, ct)))
            .WithSummary("Create a story");
        group.MapGet("/stories", async (HttpRequest http, [FromQuery] string? page, [FromQuery] string? limit, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new ListStoriesRequest(Bearer.Token(http), page, limit), ct)))
            .WithSummary("List stories");
        group.MapGet("/stories/{story_id}", async (HttpRequest http, [FromRoute(Name = "story_id")] string id, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new GetStoryRequest(Bearer.Token(http), id), ct)))
            .WithSummary("Get a story");
        group.MapPut("/stories/{story_id}", async (HttpRequest http, [FromRoute(Name = "story_id")] string id, UpdateStoryRequest request,
                    ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with { AccessToken = Bearer.Token(http), Id = id }, ct)))
            .WithSummary("Update a story");
        group.MapDelete("/stories/{story_id}", async (HttpRequest http, [FromRoute(Name = "story_id")] string id, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteStoryRequest(Bearer.Token(http), id), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a story");
        group.MapPost("/story/publish", async (HttpRequest http, PublishStoryRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with { AccessToken = Bearer.Token(http) }, ct)))
            .WithSummary("Publish a story");
        group.MapGet("/story/get_unstarted_stories", async (HttpRequest http, [FromQuery] string? page, [FromQuery] string? limit, ISender sender,
                    CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new UnstartedStoriesRequest(Bearer.Token(http), page, limit), ct)))
            .WithSummary("Get stories");
    }
}
