using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Luyala.LuyalaVideoContent;

public sealed class LuyalaVideoContentEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet(LuyalaVideoContentRequest.Route,
                async ([FromRoute(Name = "task_id")] string taskId, [FromQuery(Name = "user_uuid")] string? userUuid,
                    HttpContext http, ISender sender, CancellationToken ct) =>
                {
                    var content = await sender.Send(new LuyalaVideoContentRequest(taskId, userUuid), ct);
                    http.Response.RegisterForDispose(content);
                    if (content.Length is { } length) http.Response.ContentLength = length;
                    return TypedResults.Stream(content.Body, content.ContentType);
                })
            .WithTags("Luyala")
            .WithSummary("The MP4 of a finished Luyala video task (seed 000 #13's video_url)");
}
