using Mediator;

namespace Ihui.Features.Gemini.GeminiGenerate;

public sealed class GeminiGenerateHandler(GeminiGenerateAdapter adapter) : IRequestHandler<GeminiGenerateRequest, GeminiGenerateResult>
{
    public async ValueTask<GeminiGenerateResult> Handle(GeminiGenerateRequest request, CancellationToken cancellationToken)
    {
        var (content, usage) = await adapter.GenerateAsync(request, cancellationToken);
        return new GeminiGenerateResult(content, usage);
    }
}
