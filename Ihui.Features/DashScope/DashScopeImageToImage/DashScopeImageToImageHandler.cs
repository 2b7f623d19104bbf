using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeImageToImage;

public sealed class DashScopeImageToImageHandler(DashScopeImageToImageAdapter adapter, ITaskSubmitter tasks, TaskOptions options)
    : IRequestHandler<DashScopeImageToImageRequest, TaskView>
{
    public async ValueTask<TaskView> Handle(DashScopeImageToImageRequest request, CancellationToken cancellationToken)
    {
        var task = await tasks.SubmitAsync(adapter.Build(request), cancellationToken);
        return await tasks.WaitAsync(task.TaskId, options.Wait, cancellationToken);
    }
}
