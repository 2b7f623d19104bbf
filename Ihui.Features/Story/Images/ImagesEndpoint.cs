using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.Images;

/// <summary>
/// <c>POST /api/v1/images/upload</c> (multipart <c>file</c>, signed in) and <c>GET /api/v1/images/{filename}</c> (no
/// sign-in: clients put these URLs straight into <c>img</c> tags).
/// </summary>
public sealed class ImagesEndpoint : ICarterModule
{
    public const string RoutePrefix = "/api/v1/images/";

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/images/upload", async (HttpRequest http, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new UploadImageRequest(Bearer.Token(http), http.ContentType, http.Body), ct)))
            .WithTags("Story platform")
            .WithSummary("Upload an image")
            // The file may be 10 MB; its multipart framing comes on top of that.
            .WithMetadata(new RequestSizeLimitAttribute(UploadImageHandler.MaxBytes + 64 * 1024))
            .Accepts<IFormFile>("multipart/form-data");

        app.MapGet("/api/v1/images/{filename}", async (HttpContext http, [FromRoute] string filename, ISender sender, CancellationToken ct) =>
            {
                var file = await sender.Send(new GetImageRequest(filename), ct);
                http.Response.RegisterForDisposeAsync(file);
                // Names are random and a stored file never changes under its name: cache it for good.
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                http.Response.Headers.ETag = $"\"{filename}\"";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Stream(file.Content, file.ContentType);
            })
            .WithTags("Story platform")
            .WithSummary("Get an image");
    }
}
