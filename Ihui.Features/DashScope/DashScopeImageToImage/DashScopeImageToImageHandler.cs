using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeImageToImage;

public sealed class DashScopeImageToImageHandler(DashScopeImageToImageAdapter adapter, ITaskSubmitter tasks, TaskOptions options)
    : IRequestHandler<DashScopeImageToImageRequest, TaskView>
{
    public ValueTask<TaskView> Handle(DashScopeImageToImageRequest request, CancellationToken cancellationToken) =>
        tasks.SubmitAndWaitAsync(adapter.Build(request), options.Wait, cancellationToken);
}
