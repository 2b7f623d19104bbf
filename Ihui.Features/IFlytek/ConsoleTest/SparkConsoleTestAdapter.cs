using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.IFlytek;

namespace Ihui.Features.IFlytek.ConsoleTest;

public sealed class SparkConsoleTestAdapter(SparkChatClient spark, IFlytekOptions options, CallContext call)
{
    public string Model => options.SparkDomain;

    public async Task<SparkAnswer> AskAsync(ConsoleTestRequest request, CancellationToken ct)
    {
        call.Vendor = IFlytekOptions.Vendor;
        call.Model = options.SparkDomain;
        var answer = await spark.CompleteAsync(new SparkChatCall(
            request.Dialog!.Select(m => new SparkMessage(m.Role!, m.Content!)).ToList(),
            request.Limit ?? options.SparkMaxTokens, request.Temperature, request.TopK), ct);
        // Not billed, but the call log still shows what the test consumed.
        call.Usage = answer.Usage;
        return answer;
    }
}
