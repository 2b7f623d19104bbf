using System.Globalization;
using Ihui.Features.Common.Admin;
using Mediator;

namespace Ihui.Features.IFlytek.ConsoleTest;

public sealed class ConsoleTestHandler(SparkConsoleTestAdapter adapter, AdminAudit audit, CurrentAdmin current)
    : IRequestHandler<ConsoleTestRequest, ConsoleTestResult>
{
    public async ValueTask<ConsoleTestResult> Handle(ConsoleTestRequest request, CancellationToken cancellationToken)
    {
        var answer = await adapter.AskAsync(request, cancellationToken);
        var result = new ConsoleTestResult(answer.Content, answer.Usage);
        // Like every admin action, a console test leaves an audit row: who spent vendor tokens, with which settings.
        await audit.RecordAsync(current.Admin, "console_test", adapter.Model, string.Create(CultureInfo.InvariantCulture,
            $"turns={request.Dialog!.Count} limit={request.Limit?.ToString(CultureInfo.InvariantCulture) ?? "default"} top_k={request.TopK?.ToString(CultureInfo.InvariantCulture) ?? "default"} temperature={request.Temperature?.ToString(CultureInfo.InvariantCulture) ?? "default"} consume_token={result.ConsumeToken}"));
        return result;
    }
}
