using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.Catalogs;

/// <summary>
/// The platform's catalogs (languages, music, story templates, art styles, prompt templates): every signed-in user reads
/// them, platform editors change them.
/// </summary>
public sealed class CatalogsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1").WithTags("Story platform");

        g.MapGet("/languages", async (HttpRequest http, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new ListLanguagesRequest(Bearer.Token(http)), ct))).WithSummary("List languages");
        g.MapGet("/languages/{language_id}", async (HttpRequest http, [FromRoute(Name = "language_id")] string id, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new GetLanguageRequest(Bearer.Token(http), id), ct))).WithSummary("Get a language");
        g.MapPost("/languages", async (HttpRequest http, SaveLanguageRequest r, ISender s, CancellationToken ct) =>
            StoryJson.Created(await s.Send(r with { AccessToken = Bearer.Token(http) }, ct))).WithSummary("Create a language");
        g.MapPut("/languages/{language_id}", async (HttpRequest http, [FromRoute(Name = "language_id")] string id, SaveLanguageRequest r, ISender s,
            CancellationToken ct) => StoryJson.Ok(await s.Send(r with { AccessToken = Bearer.Token(http), Id = id }, ct))).WithSummary("Update a language");
        g.MapDelete("/languages/{language_id}", async (HttpRequest http, [FromRoute(Name = "language_id")] string id, ISender s, CancellationToken ct) =>
        {
            await s.Send(new DeleteLanguageRequest(Bearer.Token(http), id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a language");

        g.MapGet("/music", async (HttpRequest http, [FromQuery] string? type, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new ListMusicRequest(Bearer.Token(http), type), ct))).WithSummary("List music");
        g.MapGet("/music/types", async (HttpRequest http, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new MusicTypesRequest(Bearer.Token(http)), ct))).WithSummary("List music types");
        g.MapGet("/music/{music_id}", async (HttpRequest http, [FromRoute(Name = "music_id")] string id, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new GetMusicRequest(Bearer.Token(http), id), ct))).WithSummary("Get music");
        g.MapPost("/music", async (HttpRequest http, SaveMusicRequest r, ISender s, CancellationToken ct) =>
            StoryJson.Created(await s.Send(r with { AccessToken = Bearer.Token(http) }, ct))).WithSummary("Create music");
        g.MapPut("/music/{music_id}", async (HttpRequest http, [FromRoute(Name = "music_id")] string id, SaveMusicRequest r, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(r with { AccessToken = Bearer.Token(http), Id = id }, ct))).WithSummary("Update music");
        g.MapDelete("/music/{music_id}", async (HttpRequest http, [FromRoute(Name = "music_id")] string id, ISender s, CancellationToken ct) =>
        {
            await s.Send(new DeleteMusicRequest(Bearer.Token(http), id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete music");

        g.MapGet("/story-templates", async (HttpRequest http, [FromQuery] string? status, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new ListTemplatesRequest(Bearer.Token(http), status), ct))).WithSummary("List story templates");
        g.MapGet("/story-templates/{template_id}", async (HttpRequest http, [FromRoute(Name = "template_id")] string id, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new GetTemplateRequest(Bearer.Token(http), id), ct))).WithSummary("Get a story template");
        g.MapPost("/story-templates", async (HttpRequest http, SaveTemplateRequest r, ISender s, CancellationToken ct) =>
            StoryJson.Created(await s.Send(r with { AccessToken = Bearer.Token(http), Creating = true }, ct))).WithSummary("Create a story template");
        g.MapPut("/story-templates/{template_id}", async (HttpRequest http, [FromRoute(Name = "template_id")] string id, SaveTemplateRequest r, ISender s,
            CancellationToken ct) => StoryJson.Ok(await s.Send(r with { AccessToken = Bearer.Token(http), Id = id }, ct))).WithSummary("Update a story template");
        g.MapDelete("/story-templates/{template_id}", async (HttpRequest http, [FromRoute(Name = "template_id")] string id, ISender s, CancellationToken ct) =>
        {
            await s.Send(new DeleteTemplateRequest(Bearer.Token(http), id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a story template");

        g.MapGet("/art-styles", async (HttpRequest http, [FromQuery] string? status, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new ListArtStylesRequest(Bearer.Token(http), status), ct))).WithSummary("List art styles");
        g.MapGet("/prompt-templates/{type}", async (HttpRequest http, [FromRoute] string type, ISender s, CancellationToken ct) =>
            StoryJson.Ok(await s.Send(new GetPromptTemplateRequest(Bearer.Token(http), type), ct))).WithSummary("Get a prompt template");
    }
}
