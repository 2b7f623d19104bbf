using Mediator;

namespace Ihui.Features.IFlytek.VoiceModelChat;

public sealed class VoiceModelChatHandler(IatDictationAdapter adapter) : IRequestHandler<VoiceModelChatRequest, VoiceModelChatResult>
{
    public async ValueTask<VoiceModelChatResult> Handle(VoiceModelChatRequest request, CancellationToken cancellationToken)
    {
        var text = await adapter.RecognizeAsync(request, cancellationToken);
        return new VoiceModelChatResult(text, request.EstimateUsage());
    }
}
