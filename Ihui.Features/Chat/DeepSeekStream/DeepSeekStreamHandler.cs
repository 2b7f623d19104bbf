using Ihui.Features.Common.Chat;
using Mediator;

namespace Ihui.Features.Chat.DeepSeekStream;

public sealed class DeepSeekStreamHandler(DeepSeekChatStreamAdapter adapter) : IStreamRequestHandler<DeepSeekStreamRequest, ChatStreamChunk>
{
    public IAsyncEnumerable<ChatStreamChunk> Handle(DeepSeekStreamRequest request, CancellationToken cancellationToken) =>
        adapter.StreamAsync(request, cancellationToken);
}
