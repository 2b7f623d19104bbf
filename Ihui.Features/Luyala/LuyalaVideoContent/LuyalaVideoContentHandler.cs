using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Luyala;
using Mediator;

namespace Ihui.Features.Luyala.LuyalaVideoContent;

public sealed class LuyalaVideoContentHandler(TaskStore store, LuyalaVideoClient client, CurrentCaller current)
    : IRequestHandler<LuyalaVideoContentRequest, LuyalaVideoContent>
{
    public async ValueTask<LuyalaVideoContent> Handle(LuyalaVideoContentRequest request, CancellationToken cancellationToken)
    {
        var task = await store.FindAsync(request.TaskId, current.Caller.UserId, cancellationToken);
        if (task is null || task.Kind != LuyalaVideoTaskVendor.KindName || task.VendorTaskId is null)
            throw ApiException.NotFound($"video task '{request.TaskId}' not found");
        switch (task.State)
        {
            case TaskState.Queued or TaskState.Running:
                throw ApiException.Conflict($"video task '{request.TaskId}' is still {task.State.ToWire()}; try again when it has succeeded");
            case not TaskState.Succeeded:
                throw ApiException.NotFound($"video task '{request.TaskId}' {task.State.ToWire()} and has no video");
        }

        var response = await client.OpenContentAsync(new VendorTaskRef(task.VendorTaskId, task.ChannelId), cancellationToken);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new LuyalaVideoContent(response, body, response.Content.Headers.ContentType?.MediaType ?? "video/mp4",
                response.Content.Headers.ContentLength);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
