using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Tasks;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Doubao.DoubaoVideoGeneration;

public sealed class DoubaoVideoGenerationEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(DoubaoVideoGenerationRequest.Route,
                async (DoubaoVideoGenerationRequest request, [FromQuery(Name = "user_uuid")] string? userUuid,
                    [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ISender sender, CancellationToken ct) =>
                {
                    var task = await sender.Send(request with { UserUuid = request.UserUuid ?? userUuid, IdempotencyKey = idempotencyKey }, ct);
                    return TypedResults.Ok(Envelope.Ok(TaskResults.IsDone(task, "video generation")
                        ? new VideoGenerationData(task.TaskId, task.State.ToWire(), task.ResultUrls[0], task.Charged)
                        : new VideoGenerationData(task.TaskId, task.State.ToWire(), null, null)));
                })
            .WithTags("Doubao")
            .WithSummary("豆包视频生成 (seed 000 #1, Seedance task)");
}

public sealed record VideoGenerationData(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("video_url")] string? VideoUrl,
    [property: JsonPropertyName("consume_token")] long? ConsumeToken);
