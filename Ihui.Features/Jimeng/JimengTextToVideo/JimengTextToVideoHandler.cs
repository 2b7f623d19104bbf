using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Jimeng.JimengTextToVideo;

public sealed class JimengTextToVideoHandler(ITaskSubmitter tasks, TaskOptions options) : IRequestHandler<JimengTextToVideoRequest, TaskView>
{
    public ValueTask<TaskView> Handle(JimengTextToVideoRequest request, CancellationToken cancellationToken) =>
        tasks.SubmitAndWaitAsync(request.ToSubmission(options.Deadline), options.Wait, cancellationToken);
}
