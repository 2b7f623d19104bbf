using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Storage;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.TextToImage;

public sealed class TextToImageEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        app.MapPost(SubmitTextToImageRequest.Route, async (HttpRequest http, SubmitTextToImageRequest request,
                    [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with
                {
                    ApiKey = Bearer.Token(http), IdempotencyKey = idempotencyKey, Origin = PublicUrls.RequestOrigin(http),
                }, ct)))
            .WithTags("Story platform")
            .WithSummary("Submit a text-to-image task (seed 003)");
        app.MapGet("/api/v1/ai/t2i/tasks/{task_id}", async (HttpRequest http, [FromRoute(Name = "task_id")] string taskId, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new GetTextToImageTaskRequest(taskId, Bearer.Token(http)), ct)))
            .WithTags("Story platform")
            .WithSummary("A text-to-image task: status, progress, Ihui's image URLs, error");
    }
}
