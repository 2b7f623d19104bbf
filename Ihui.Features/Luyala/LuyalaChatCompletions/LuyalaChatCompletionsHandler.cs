using Mediator;

namespace Ihui.Features.Luyala.LuyalaChatCompletions;

public sealed class LuyalaChatCompletionsHandler(LuyalaChatAdapter adapter)
    : IRequestHandler<LuyalaChatCompletionsRequest, LuyalaChatCompletionsResult>
{
    public async ValueTask<LuyalaChatCompletionsResult> Handle(LuyalaChatCompletionsRequest request, CancellationToken cancellationToken)
    {
        var (completion, usage) = await adapter.CompleteAsync(request, cancellationToken);
        return new LuyalaChatCompletionsResult(completion, usage);
    }
}
