using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.DashScope.DashScopeImageToImage;

public sealed class DashScopeImageToImageEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTaskPost<DashScopeImageToImageRequest, ImageToImageData>(DashScopeImageToImageRequest.Route, "image-to-image",
                (request, input) => request with { UserUuid = request.UserUuid ?? input.UserUuid, IdempotencyKey = input.IdempotencyKey },
                (request, task, done) => new ImageToImageData(task.TaskId, task.State.ToWire(),
                    done ? task.ResultUrls : null,
                    done ? [new ImageList(request.Prompt ?? "", task.ResultUrls)] : null,
                    done ? task.Charged : null))
            .WithTags("DashScope")
            .WithSummary("通义千问图生图 (seed 000 #7, async task)");
}

public sealed record ImageToImageData(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("image_urls")] IReadOnlyList<string>? ImageUrls,
    [property: JsonPropertyName("lists")] IReadOnlyList<ImageList>? Lists,
    [property: JsonPropertyName("consume_token")] long? ConsumeToken);

public sealed record ImageList(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("images")] IReadOnlyList<string> Images);
