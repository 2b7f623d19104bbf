using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeTextToImage;

public sealed class DashScopeTextToImageHandler(DashScopeTextToImageAdapter adapter, ITaskSubmitter tasks, TaskOptions options)
    : IRequestHandler<DashScopeTextToImageRequest, TaskView>
{
    public ValueTask<TaskView> Handle(DashScopeTextToImageRequest request, CancellationToken cancellationToken) =>
        tasks.SubmitAndWaitAsync(adapter.Build(request), options.Wait, cancellationToken);
}
