using Ihui.Features.Common.Chat;
using Mediator;

namespace Ihui.Features.Chat.DoubaoStream;

public sealed class DoubaoStreamHandler(ArkChatStreamAdapter adapter) : IStreamRequestHandler<DoubaoStreamRequest, ChatStreamChunk>
{
    public IAsyncEnumerable<ChatStreamChunk> Handle(DoubaoStreamRequest request, CancellationToken cancellationToken) =>
        adapter.StreamAsync(request, cancellationToken);
}
