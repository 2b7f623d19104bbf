using Mediator;

namespace Ihui.Features.DashScope.DashScopeImageEdit;

public sealed class DashScopeImageEditHandler(DashScopeImageEditAdapter adapter) : IRequestHandler<DashScopeImageEditRequest, DashScopeImageEditResult>
{
    public async ValueTask<DashScopeImageEditResult> Handle(DashScopeImageEditRequest request, CancellationToken cancellationToken)
    {
        var (url, usage) = await adapter.EditAsync(request, cancellationToken);
        return new DashScopeImageEditResult(url, usage);
    }
}
