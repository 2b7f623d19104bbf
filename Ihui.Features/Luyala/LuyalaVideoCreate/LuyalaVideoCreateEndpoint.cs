using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Luyala.LuyalaVideoContent;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Luyala.LuyalaVideoCreate;

public sealed class LuyalaVideoCreateEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(LuyalaVideoCreateRequest.Route,
                async (LuyalaVideoCreateRequest request, [FromQuery(Name = "user_uuid")] string? userUuid,
                    [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, HttpContext http, ISender sender, CancellationToken ct) =>
                {
                    var user = request.UserUuid ?? userUuid;
                    var task = await sender.Send(request with { UserUuid = user, IdempotencyKey = idempotencyKey }, ct);
                    return TypedResults.Ok(Envelope.Ok(TaskResults.IsDone(task, "video generation")
                        ? new LuyalaVideoData(task.TaskId, task.State.ToWire(), LuyalaVideoContentRequest.UrlFor(http.Request, task.TaskId, user!))
                        : new LuyalaVideoData(task.TaskId, task.State.ToWire(), null)));
                })
            .WithTags("Luyala")
            .WithSummary("路鸭拉视频生成 (seed 000 #13, OpenAI Videos API task)");
}

/// <summary>The seed's <c>{"video_url"}</c>, plus the task id and status (a still-running task has no URL yet).</summary>
public sealed record LuyalaVideoData(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("video_url")] string? VideoUrl);
