using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Tasks.GetTask;

public sealed class GetTaskHandler(TaskEngine engine, CurrentCaller current) : IRequestHandler<GetTaskRequest, TaskView>
{
    public async ValueTask<TaskView> Handle(GetTaskRequest request, CancellationToken cancellationToken) =>
        await engine.GetAsync(current.Caller.UserId, request.TaskId, cancellationToken)
        ?? throw ApiException.NotFound($"task '{request.TaskId}' not found");
}
