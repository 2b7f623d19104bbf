using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.SystemPromptPosts;

/// <summary>A user's own additions to the characters' system prompt (seed 003 "角色系统提示词补充").</summary>
public sealed class SystemPromptPostsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/system-prompt-posts").WithTags("Story platform");
        g.MapPost("", async (HttpRequest http, SavePostRequest r, ISender s, CancellationToken ct) =>
            StoryJson.Created(await s.Send(r with { AccessToken = Bearer.Token(http) }, ct))).WithSummary("Create a system prompt post");
        g.MapGet("", async (HttpRequest http, [FromQuery] string? page, [FromQuery] string? limit, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new ListPostsRequest(Bearer.Token(http), page, limit), ct))).WithSummary("List system prompt posts");
        g.MapGet("/{post_id}", async (HttpRequest http, [FromRoute(Name = "post_id")] string id, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new GetPostRequest(Bearer.Token(http), id), ct))).WithSummary("Get a system prompt post");
        g.MapPut("/{post_id}", async (HttpRequest http, [FromRoute(Name = "post_id")] string id, SavePostRequest r, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(r with { AccessToken = Bearer.Token(http), Id = id }, ct))).WithSummary("Update a system prompt post");
        g.MapDelete("/{post_id}", async (HttpRequest http, [FromRoute(Name = "post_id")] string id, ISender s, CancellationToken ct) =>
        {
            await s.Send(new DeletePostRequest(Bearer.Token(http), id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a system prompt post");
    }
}
