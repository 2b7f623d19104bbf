using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Jimeng.JimengImageToVideo;

public sealed class JimengImageToVideoHandler(ITaskSubmitter tasks, TaskOptions options) : IRequestHandler<JimengImageToVideoRequest, TaskView>
{
    public ValueTask<TaskView> Handle(JimengImageToVideoRequest request, CancellationToken cancellationToken) =>
        tasks.SubmitAndWaitAsync(request.ToSubmission(options.Deadline), options.Wait, cancellationToken);
}
