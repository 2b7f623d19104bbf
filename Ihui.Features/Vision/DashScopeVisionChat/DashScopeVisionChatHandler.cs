using Mediator;

namespace Ihui.Features.Vision.DashScopeVisionChat;

public sealed class DashScopeVisionChatHandler(DashScopeVisionAdapter adapter)
    : IRequestHandler<DashScopeVisionChatRequest, DashScopeVisionChatResult>
{
    public async ValueTask<DashScopeVisionChatResult> Handle(DashScopeVisionChatRequest request, CancellationToken cancellationToken)
    {
        var (content, usage) = await adapter.AskAsync(request, cancellationToken);
        return new DashScopeVisionChatResult(content, usage);
    }
}
