using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Tasks;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.DashScope.DashScopeTextToImage;

public sealed class DashScopeTextToImageEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(DashScopeTextToImageRequest.Route,
                async (string model, DashScopeTextToImageRequest request, [FromQuery(Name = "user_uuid")] string? userUuid,
                    [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ISender sender, CancellationToken ct) =>
                {
                    var task = await sender.Send(request with
                    {
                        RouteModel = model, UserUuid = request.UserUuid ?? userUuid, IdempotencyKey = idempotencyKey,
                    }, ct);
                    return TypedResults.Ok(Envelope.Ok(ImageTaskData.From(task, TaskResults.IsDone(task, "image generation"))));
                })
            .WithTags("DashScope")
            .WithSummary("通义千问/万相图片生成 (seed 000 #4–#6, async task)");
}

public sealed record ImageTaskData(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("image_urls")] IReadOnlyList<string>? ImageUrls,
    [property: JsonPropertyName("consume_token")] long? ConsumeToken)
{
    public static ImageTaskData From(TaskView task, bool done) =>
        new(task.TaskId, task.State.ToWire(), done ? task.ResultUrls : null, done ? task.Charged : null);
}
