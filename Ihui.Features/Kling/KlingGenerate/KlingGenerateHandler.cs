using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;
using Mediator;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Kling.KlingGenerate;

public sealed class KlingGenerateHandler(ITaskSubmitter tasks, TaskOptions options, IConfiguration configuration)
    : IRequestHandler<KlingGenerateRequest, TaskView>
{
    public ValueTask<TaskView> Handle(KlingGenerateRequest request, CancellationToken cancellationToken)
    {
        // A seed model without a Kling model behind it is refused before anything is held.
        var upstream = KlingGenerateRequest.UpstreamModel(request.EffectiveModel, configuration)
                       ?? throw ApiException.InvalidModel(request.EffectiveModel);
        return tasks.SubmitAndWaitAsync(request.ToSubmission(upstream, options.Deadline), options.Wait, cancellationToken);
    }
}
