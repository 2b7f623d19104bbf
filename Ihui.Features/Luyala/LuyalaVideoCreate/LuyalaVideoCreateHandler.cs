using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Luyala.LuyalaVideoCreate;

public sealed class LuyalaVideoCreateHandler(LuyalaVideoAdapter adapter, ITaskSubmitter tasks, TaskOptions options)
    : IRequestHandler<LuyalaVideoCreateRequest, TaskView>
{
    public async ValueTask<TaskView> Handle(LuyalaVideoCreateRequest request, CancellationToken cancellationToken)
    {
        var task = await tasks.SubmitAsync(adapter.Build(request), cancellationToken);
        return await tasks.WaitAsync(task.TaskId, options.Wait, cancellationToken);
    }
}
