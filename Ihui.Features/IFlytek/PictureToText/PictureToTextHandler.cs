using Mediator;

namespace Ihui.Features.IFlytek.PictureToText;

public sealed class PictureToTextHandler(IFlytekOcrAdapter adapter) : IRequestHandler<PictureToTextRequest, PictureToTextResult>
{
    public async ValueTask<PictureToTextResult> Handle(PictureToTextRequest request, CancellationToken cancellationToken) =>
        new(await adapter.RecognizeAsync(request, cancellationToken));
}
