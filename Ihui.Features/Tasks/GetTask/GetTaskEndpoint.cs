using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Tasks;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Tasks.GetTask;

public sealed class GetTaskEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet(GetTaskRequest.Route,
                async ([FromRoute(Name = "task_id")] string taskId, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                    TypedResults.Ok(Envelope.Ok(TaskData.From(await sender.Send(new GetTaskRequest(taskId, userUuid), ct)))))
            .WithTags("Tasks")
            .WithSummary("A task's state (video, image and music tasks)");
}

public sealed record TaskData(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("progress")] int Progress,
    [property: JsonPropertyName("result_urls")] IReadOnlyList<string> ResultUrls,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("reserved")] long Reserved,
    [property: JsonPropertyName("charged")] long Charged)
{
    public static TaskData From(TaskView t) => new(t.TaskId, t.State.ToWire(), t.Progress, t.ResultUrls, t.Error, t.Reserved, t.Charged);
}
