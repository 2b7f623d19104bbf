using Mediator;

namespace Ihui.Features.IFlytek.TextModelStream;

public sealed class TextModelStreamHandler(SparkTextStreamAdapter adapter) : IStreamRequestHandler<TextModelStreamRequest, SparkStreamChunk>
{
    public IAsyncEnumerable<SparkStreamChunk> Handle(TextModelStreamRequest request, CancellationToken cancellationToken) =>
        adapter.StreamAsync(request, cancellationToken);
}
