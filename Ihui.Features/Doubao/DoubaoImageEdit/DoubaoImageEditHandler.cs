using Mediator;

namespace Ihui.Features.Doubao.DoubaoImageEdit;

public sealed class DoubaoImageEditHandler(ArkImageEditAdapter adapter) : IRequestHandler<DoubaoImageEditRequest, DoubaoImageEditResult>
{
    public async ValueTask<DoubaoImageEditResult> Handle(DoubaoImageEditRequest request, CancellationToken cancellationToken)
    {
        var images = await adapter.EditAsync(request, cancellationToken);
        return new DoubaoImageEditResult(images.Urls[0], images.Usage);
    }
}
