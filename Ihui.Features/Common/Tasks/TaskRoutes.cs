using System.Text.Json.Serialization;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Common.Tasks;

/// <summary>What a task route takes besides its JSON body: the query's <c>user_uuid</c>, the <c>Idempotency-Key</c> header, the route values.</summary>
public sealed record TaskRouteInput(string? UserUuid, string? IdempotencyKey, RouteValueDictionary RouteValues)
{
    public string? RouteValue(string name) => RouteValues.TryGetValue(name, out var value) ? value as string : null;
}

/// <summary>
/// The shape every HTTP task slice shares: the handler submits and waits up to <c>TASK_WAIT_SECONDS</c>; the endpoint answers
/// the seed's data when the task finished, only <c>task_id</c> + <c>status</c> while it runs, and the documented error
/// (<see cref="TaskResults.IsDone"/>) when it ended without a result.
/// </summary>
public static class TaskRoutes
{
    /// <param name="what">names the task in error messages ("video generation failed (task …)")</param>
    /// <param name="bind">the request with what <see cref="TaskRouteInput"/> carries</param>
    /// <param name="toData">the seed's <c>data</c> object; the flag says whether the task has its result</param>
    public static RouteHandlerBuilder MapTaskPost<TRequest, TData>(this IEndpointRouteBuilder app, string route, string what,
        Func<TRequest, TaskRouteInput, TRequest> bind, Func<TRequest, TaskView, bool, TData> toData)
        where TRequest : IRequest<TaskView> =>
        app.MapPost(route, async Task<Ok<Envelope<TData>>> (TRequest request, [FromQuery(Name = "user_uuid")] string? userUuid,
            [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, HttpRequest http, ISender sender, CancellationToken ct) =>
        {
            var bound = bind(request, new TaskRouteInput(userUuid, idempotencyKey, http.RouteValues));
            var task = await sender.Send(bound, ct);
            return TypedResults.Ok(Envelope.Ok(toData(bound, task, TaskResults.IsDone(task, what))));
        });

    /// <summary>A handler's whole job: create the task (or find it by its idempotency key), then wait for it.</summary>
    public static async ValueTask<TaskView> SubmitAndWaitAsync(this ITaskSubmitter tasks, TaskSubmission submission, TimeSpan wait, CancellationToken ct)
    {
        var task = await tasks.SubmitAsync(submission, ct);
        return await tasks.WaitAsync(task.TaskId, wait, ct);
    }
}

/// <summary>A task's answer with one video URL (<c>video_url</c>): seed 000 #1 and #20.</summary>
public sealed record VideoTaskData(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("video_url")] string? VideoUrl,
    [property: JsonPropertyName("consume_token")] long? ConsumeToken)
{
    public static VideoTaskData From(TaskView task, bool done) =>
        new(task.TaskId, task.State.ToWire(), done ? task.ResultUrls[0] : null, done ? task.Charged : null);
}

/// <summary>A task's answer with one result URL (<c>result_url</c>): seed 000 #16–#19 (Jimeng).</summary>
public sealed record ResultUrlTaskData(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("result_url")] string? ResultUrl,
    [property: JsonPropertyName("consume_token")] long? ConsumeToken)
{
    public static ResultUrlTaskData From(TaskView task, bool done) =>
        new(task.TaskId, task.State.ToWire(), done ? task.ResultUrls[0] : null, done ? task.Charged : null);
}
