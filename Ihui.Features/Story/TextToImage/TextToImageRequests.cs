using System.Text.Json.Serialization;
using Ihui.Features.Common.Limits;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Story.TextToImage;

/// <summary>
/// Seed 003 "文生图任务提交": <c>POST /ai/t2i/submit {"model_id", "prompt", "size"?}</c>, a task on Ihui's engine that draws
/// with the registry's t2i model and keeps the images in Ihui's image store. Answers the task at once; the caller polls.
/// </summary>
public sealed record SubmitTextToImageRequest : IRequest<TextToImageTaskView>, ILoggedCall, IAuthenticatedRequest, IUserRateLimited
{
    public static string Route => "/api/v1/ai/t2i/submit";

    /// <summary>The seed's sizes; the first is the default.</summary>
    public static readonly IReadOnlyList<string> Sizes = ["1024*1024", "720*1280", "1280*720"];

    public string? ModelId { get; init; }
    public string? Prompt { get; init; }
    public string? Size { get; init; }
    [JsonIgnore] public string? ApiKey { get; init; }
    [JsonIgnore] public string? IdempotencyKey { get; init; }
    /// <summary>The origin the caller reached Ihui on (the stored images' URLs use it when <c>PUBLIC_BASE_URL</c> is not set).</summary>
    [JsonIgnore] public Uri? Origin { get; init; }

    Credential IAuthenticatedRequest.Credential => new(CredentialKind.ApiKey, ApiKey);
}

/// <summary><c>GET /ai/t2i/tasks/{task_id}</c>: one of the caller's t2i tasks, for <see cref="TextToImageTaskView.Retention"/>.</summary>
public sealed record GetTextToImageTaskRequest(string TaskId, string? ApiKey) : IRequest<TextToImageTaskView>, IAuthenticatedRequest, IUserRateLimited
{
    Credential IAuthenticatedRequest.Credential => new(CredentialKind.ApiKey, ApiKey);
}

/// <summary>A t2i task as the caller sees it: <c>image_urls</c> are Ihui's copies (empty until it succeeds).</summary>
public sealed record TextToImageTaskView(string TaskId, string Status, int Progress, IReadOnlyList<string> ImageUrls, string? Error, long Charged,
    string CreatedAt)
{
    /// <summary>The seed: "任务状态保留24小时".</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public static TextToImageTaskView From(TaskRow task)
    {
        var view = task.ToView();
        return new(view.TaskId, view.State.ToWire(), view.Progress, view.ResultUrls, view.Error, view.Charged, StoryJson.Time(task.CreatedAt));
    }
}
