using Ihui.Features.Common.Chat;
using Mediator;

namespace Ihui.Features.Chat.QwenStream;

public sealed class QwenStreamHandler(DashScopeChatStreamAdapter adapter) : IStreamRequestHandler<QwenStreamRequest, ChatStreamChunk>
{
    public IAsyncEnumerable<ChatStreamChunk> Handle(QwenStreamRequest request, CancellationToken cancellationToken) =>
        adapter.StreamAsync(request, cancellationToken);
}
