using Ihui.Features.Common.Chat;
using Mediator;

namespace Ihui.Features.Chat.QwenOmniStream;

public sealed class QwenOmniStreamHandler(DashScopeOmniStreamAdapter adapter) : IStreamRequestHandler<QwenOmniStreamRequest, ChatStreamChunk>
{
    public IAsyncEnumerable<ChatStreamChunk> Handle(QwenOmniStreamRequest request, CancellationToken cancellationToken) =>
        adapter.StreamAsync(request, cancellationToken);
}
