using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.IFlytek;

namespace Ihui.Features.IFlytek.ConsoleTest;

public sealed class SparkConsoleTestAdapter(SparkChatClient spark, IFlytekOptions options, CallContext call)
{
    public Task<SparkAnswer> AskAsync(ConsoleTestRequest request, CancellationToken ct)
    {
        call.Vendor = IFlytekOptions.Vendor;
        call.Model = options.SparkDomain;
        return spark.CompleteAsync(new SparkChatCall(
            request.Dialog!.Select(m => new SparkMessage(m.Role!, m.Content!)).ToList(),
            request.Limit ?? options.SparkMaxTokens, request.Temperature, request.TopK), ct);
    }
}
