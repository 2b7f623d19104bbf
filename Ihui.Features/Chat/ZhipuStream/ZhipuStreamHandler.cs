using Ihui.Features.Common.Chat;
using Mediator;

namespace Ihui.Features.Chat.ZhipuStream;

public sealed class ZhipuStreamHandler(ZhipuChatStreamAdapter adapter) : IStreamRequestHandler<ZhipuStreamRequest, ChatStreamChunk>
{
    public IAsyncEnumerable<ChatStreamChunk> Handle(ZhipuStreamRequest request, CancellationToken cancellationToken) =>
        adapter.StreamAsync(request, cancellationToken);
}
