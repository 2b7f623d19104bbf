using Mediator;

namespace Ihui.Features.IFlytek.TextModelChat;

public sealed class TextModelChatHandler(SparkTextChatAdapter adapter) : IRequestHandler<TextModelChatRequest, TextModelChatResult>
{
    public async ValueTask<TextModelChatResult> Handle(TextModelChatRequest request, CancellationToken cancellationToken)
    {
        var answer = await adapter.AskAsync(request, cancellationToken);
        return new TextModelChatResult(answer.Content, answer.Usage);
    }
}
