using Mediator;

namespace Ihui.Features.IFlytek.ConsoleTest;

public sealed class ConsoleTestHandler(SparkConsoleTestAdapter adapter) : IRequestHandler<ConsoleTestRequest, ConsoleTestResult>
{
    public async ValueTask<ConsoleTestResult> Handle(ConsoleTestRequest request, CancellationToken cancellationToken)
    {
        var answer = await adapter.AskAsync(request, cancellationToken);
        return new ConsoleTestResult(answer.Content, answer.Usage);
    }
}
