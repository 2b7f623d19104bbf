using Mediator;

namespace Ihui.Features.DashScope.DashScopeAudioRecognize;

public sealed class DashScopeAudioRecognizeHandler(DashScopeAsrAdapter adapter)
    : IRequestHandler<DashScopeAudioRecognizeRequest, DashScopeAudioRecognizeResult>
{
    public async ValueTask<DashScopeAudioRecognizeResult> Handle(DashScopeAudioRecognizeRequest request, CancellationToken cancellationToken) =>
        await adapter.RecognizeAsync(request, cancellationToken);
}
