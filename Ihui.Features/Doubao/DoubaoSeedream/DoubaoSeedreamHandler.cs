using Mediator;

namespace Ihui.Features.Doubao.DoubaoSeedream;

public sealed class DoubaoSeedreamHandler(ArkSeedreamAdapter adapter) : IRequestHandler<DoubaoSeedreamRequest, DoubaoSeedreamResult>
{
    public async ValueTask<DoubaoSeedreamResult> Handle(DoubaoSeedreamRequest request, CancellationToken cancellationToken)
    {
        var images = await adapter.GenerateAsync(request, cancellationToken);
        return new DoubaoSeedreamResult(images.Urls, images.Usage);
    }
}
