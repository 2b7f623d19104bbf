using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Doubao.DoubaoVideoGeneration;

public sealed class DoubaoVideoGenerationHandler(ArkSeedanceAdapter adapter, ITaskSubmitter tasks, TaskOptions options)
    : IRequestHandler<DoubaoVideoGenerationRequest, TaskView>
{
    public async ValueTask<TaskView> Handle(DoubaoVideoGenerationRequest request, CancellationToken cancellationToken)
    {
        var task = await tasks.SubmitAsync(adapter.Build(request), cancellationToken);
        return await tasks.WaitAsync(task.TaskId, options.Wait, cancellationToken);
    }
}
