using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.IFlytek;

namespace Ihui.Features.IFlytek.TextModelChat;

/// <summary>Maps the dialog to one Spark chat turn (vendor-protocols.md §9).</summary>
public sealed class SparkTextChatAdapter(SparkChatClient spark, CallContext call)
{
    public Task<SparkAnswer> AskAsync(TextModelChatRequest request, CancellationToken ct)
    {
        call.Vendor = IFlytekOptions.Vendor;
        return spark.CompleteAsync(new SparkChatCall(
            request.Dialog!.Select(m => new SparkMessage(m.Role!, m.Content!)).ToList(), request.MaxTokens, Uid: request.Uuid?.Replace("-", "")), ct);
    }
}
