using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeVideoSynthesis;

/// <summary>Creates the task and returns at once: the socket session streams its progress and result.</summary>
public sealed class DashScopeVideoSynthesisHandler(DashScopeVideoSynthesisAdapter adapter, ITaskSubmitter tasks)
    : IRequestHandler<DashScopeVideoSynthesisRequest, TaskView>
{
    public async ValueTask<TaskView> Handle(DashScopeVideoSynthesisRequest request, CancellationToken cancellationToken) =>
        await tasks.SubmitAsync(adapter.Build(request), cancellationToken);
}
