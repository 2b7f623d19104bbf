using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.DashScope.DashScopeTextToImage;

public sealed class DashScopeTextToImageEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTaskPost<DashScopeTextToImageRequest, ImageTaskData>(DashScopeTextToImageRequest.Route, "image generation",
                (request, input) => request with
                {
                    RouteModel = input.RouteValue("model"), UserUuid = request.UserUuid ?? input.UserUuid, IdempotencyKey = input.IdempotencyKey,
                },
                (_, task, done) => ImageTaskData.From(task, done))
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
