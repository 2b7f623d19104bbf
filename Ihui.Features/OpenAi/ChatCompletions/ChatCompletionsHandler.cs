using Ihui.Features.Common.ChatCompletions;
using Mediator;

namespace Ihui.Features.OpenAi.ChatCompletions;

public sealed class ChatCompletionsHandler(OpenAiChatAdapter adapter) : IRequestHandler<ChatCompletionsRequest, ChatCompletionsResult>
{
    public async ValueTask<ChatCompletionsResult> Handle(ChatCompletionsRequest request, CancellationToken cancellationToken) =>
        await adapter.CompleteAsync(request, cancellationToken);
}

public sealed class ChatCompletionsStreamHandler(OpenAiChatAdapter adapter) : IStreamRequestHandler<ChatCompletionsStreamRequest, ChatCompletionsChunk>
{
    public IAsyncEnumerable<ChatCompletionsChunk> Handle(ChatCompletionsStreamRequest request, CancellationToken cancellationToken) =>
        adapter.StreamAsync(request, cancellationToken);
}
