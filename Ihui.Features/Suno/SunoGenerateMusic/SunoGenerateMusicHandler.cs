using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Suno.SunoGenerateMusic;

public sealed class SunoGenerateMusicHandler(ITaskSubmitter tasks, TaskOptions options) : IRequestHandler<SunoGenerateMusicRequest, TaskView>
{
    public ValueTask<TaskView> Handle(SunoGenerateMusicRequest request, CancellationToken cancellationToken) =>
        tasks.SubmitAndWaitAsync(request.ToSubmission(options.Deadline), options.Wait, cancellationToken);
}
