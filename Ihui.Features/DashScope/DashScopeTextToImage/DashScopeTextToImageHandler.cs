using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeTextToImage;

public sealed class DashScopeTextToImageHandler(DashScopeTextToImageAdapter adapter, ITaskSubmitter tasks, TaskOptions options)
    : IRequestHandler<DashScopeTextToImageRequest, TaskView>
{
    public async ValueTask<TaskView> Handle(DashScopeTextToImageRequest request, CancellationToken cancellationToken)
    {
        var task = await tasks.SubmitAsync(adapter.Build(request), cancellationToken);
        return await tasks.WaitAsync(task.TaskId, options.Wait, cancellationToken);
    }
}
