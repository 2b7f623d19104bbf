using Carter;
using Ihui.Features.Common.Storage;
using Ihui.Features.Voice.Session;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Voice.StoredAudio;

/// <summary>
/// The voice sockets' stored uploads (the question's MP3, the image), the seed's <c>oss_url</c>: served by name from
/// the object store when it has no public URL of its own. Names are random (128 bits), as the seed's OSS links are.
/// </summary>
public sealed class StoredVoiceFileEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet(VoiceSocketSession.FilesRoute + "{name}", async (string name, IObjectStore store, CancellationToken ct) =>
            {
                if (!ObjectNames.IsValid(name)) return Results.NotFound();
                var file = await store.OpenAsync(name, ct);
                return file is null ? Results.NotFound() : Results.Stream(file.Content, file.ContentType, enableRangeProcessing: false);
            })
            .WithTags("Voice").WithSummary("A file stored by the voice sockets (the oss_url they report)");
}
