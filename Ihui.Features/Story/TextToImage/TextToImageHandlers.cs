using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Models;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Ihui.Features.Story.Images;
using Mediator;

namespace Ihui.Features.Story.TextToImage;

/// <summary>
/// Holds one image's price of the model (the <c>prices</c> row of its <c>llm_id</c>) and queues the job; the engine settles
/// it when the images are stored and refunds it when the task fails or expires.
/// </summary>
public sealed class SubmitTextToImageHandler(ModelCatalog catalog, ITaskSubmitter tasks, TaskStore store, TaskOptions options)
    : IRequestHandler<SubmitTextToImageRequest, TextToImageTaskView>
{
    public async ValueTask<TextToImageTaskView> Handle(SubmitTextToImageRequest r, CancellationToken ct)
    {
        var model = await catalog.FindEnabledAsync(r.ModelId!, ct) is { } m && OpenAiImageGenerator.Serves(m) ? m : throw ApiException.InvalidModel(r.ModelId!);
        var job = new ImageJob(model.Vendor, model.UpstreamModel, r.Prompt!, r.Size ?? SubmitTextToImageRequest.Sizes[0], 1,
            ImagesEndpoint.RoutePrefix, r.Origin?.ToString());
        var task = await tasks.SubmitAsync(new TaskSubmission(OpenAiImageTaskVendor.KindName, model.Name, new Usage(0, 0, Images: 1),
            OpenAiImageTaskVendor.Payload(job), r.IdempotencyKey, options.Deadline), ct);
        return TextToImageTaskView.From(await store.FindAsync(task.TaskId, ct: ct) ?? throw new InvalidOperationException($"task {task.TaskId} vanished"));
    }
}

/// <summary>Only the caller's own t2i tasks, and only for 24 hours after they were submitted (then 404, as the seed says).</summary>
public sealed class GetTextToImageTaskHandler(TaskStore store, CurrentCaller current, TimeProvider clock)
    : IRequestHandler<GetTextToImageTaskRequest, TextToImageTaskView>
{
    public async ValueTask<TextToImageTaskView> Handle(GetTextToImageTaskRequest r, CancellationToken ct)
    {
        var task = r.TaskId.Length <= 64 ? await store.FindAsync(r.TaskId, current.Caller.UserId, ct) : null;
        if (task is null || task.Kind != OpenAiImageTaskVendor.KindName || task.Route != SubmitTextToImageRequest.Route
            || clock.GetUtcNow().UtcDateTime - task.CreatedAt >= TextToImageTaskView.Retention)
            throw ApiException.NotFound($"task '{r.TaskId}' not found");
        return TextToImageTaskView.From(task);
    }
}
