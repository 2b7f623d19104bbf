using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Doubao.DoubaoVideoGeneration;

public sealed class DoubaoVideoGenerationHandler(ArkSeedanceAdapter adapter, ITaskSubmitter tasks, TaskOptions options)
    : IRequestHandler<DoubaoVideoGenerationRequest, TaskView>
{
    public ValueTask<TaskView> Handle(DoubaoVideoGenerationRequest request, CancellationToken cancellationToken) =>
        tasks.SubmitAndWaitAsync(adapter.Build(request), options.Wait, cancellationToken);
}
