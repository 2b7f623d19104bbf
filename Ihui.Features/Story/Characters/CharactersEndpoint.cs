using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.Characters;

/// <summary>Seed 003's character routes: the caller's characters, the platform narrator, creation from an avatar.</summary>
public sealed class CharactersEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Story platform");
        group.MapPost("/characters", async (HttpRequest http, CreateCharacterRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Created(await sender.Send(request with { AccessToken = Bearer.Token(http) }, ct)))
            .WithSummary("Create a character");
        group.MapGet("/characters", async (HttpRequest http, [FromQuery] string? page, [FromQuery] string? limit, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new ListCharactersRequest(Bearer.Token(http), page, limit), ct)))
            .WithSummary("List characters");
        group.MapGet("/characters/list", async (HttpRequest http, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new MyCharactersRequest(Bearer.Token(http)), ct)))
            .WithSummary("List the user's characters");
        group.MapGet("/characters/{character_id}", async (HttpRequest http, [FromRoute(Name = "character_id")] string id, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new GetCharacterRequest(Bearer.Token(http), id), ct)))
            .WithSummary("Get a character");
        group.MapPut("/characters/{character_id}", async (HttpRequest http, [FromRoute(Name = "character_id")] string id, UpdateCharacterRequest request,
                    ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with { AccessToken = Bearer.Token(http), Id = id }, ct)))
            .WithSummary("Update a character");
        group.MapDelete("/characters/{character_id}", async (HttpRequest http, [FromRoute(Name = "character_id")] string id, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteCharacterRequest(Bearer.Token(http), id), ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a character");
        group.MapGet("/narrator", async (HttpRequest http, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new GetNarratorRequest(Bearer.Token(http)), ct)))
            .WithSummary("Get the narrator");
        group.MapPost("/character-avatar/create", async (HttpRequest http, CreateFromAvatarRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with { AccessToken = Bearer.Token(http) }, ct)))
            .WithSummary("Create a character from its avatar fields");
    }
}
