using Mediator;

namespace Ihui.Features.Voice.Transcribe;

public sealed class TranscribeUtteranceHandler(DashScopeSpeechRecognitionAdapter adapter)
    : IRequestHandler<TranscribeAudioSocketRequest, TranscribeUtteranceResult>, IRequestHandler<TranscribeVlmSocketRequest, TranscribeUtteranceResult>
{
    public ValueTask<TranscribeUtteranceResult> Handle(TranscribeAudioSocketRequest request, CancellationToken cancellationToken) =>
        new(adapter.TranscribeAsync(request, cancellationToken));

    public ValueTask<TranscribeUtteranceResult> Handle(TranscribeVlmSocketRequest request, CancellationToken cancellationToken) =>
        new(adapter.TranscribeAsync(request, cancellationToken));
}
