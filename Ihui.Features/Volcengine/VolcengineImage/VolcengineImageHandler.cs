using Mediator;

namespace Ihui.Features.Volcengine.VolcengineImage;

public sealed class VolcengineImageHandler(JimengImageAdapter adapter) : IRequestHandler<VolcengineImageRequest, VolcengineImageResult>
{
    public async ValueTask<VolcengineImageResult> Handle(VolcengineImageRequest request, CancellationToken cancellationToken)
    {
        var urls = await adapter.GenerateAsync(request, cancellationToken);
        return new VolcengineImageResult(urls, new(0, 0, Images: urls.Count));
    }
}
