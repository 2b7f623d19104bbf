using System.Runtime.CompilerServices;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.IFlytek;

namespace Ihui.Features.IFlytek.TextModelStream;

/// <summary>Streams Spark's frames unchanged; the text and usage they carry feed billing.</summary>
public sealed class SparkTextStreamAdapter(SparkChatClient spark, CallContext call)
{
    public async IAsyncEnumerable<SparkStreamChunk> StreamAsync(TextModelStreamRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        call.Vendor = IFlytekOptions.Vendor;
        var turn = new SparkChatCall(request.Dialog!.Select(m => new SparkMessage(m.Role!, m.Content!)).ToList(), request.MaxTokens,
            Uid: request.Uuid?.Replace("-", ""));
        await foreach (var frame in spark.StreamAsync(turn, ct))
            yield return new SparkStreamChunk(frame.Raw, frame.Status == 2, frame.Delta, frame.Usage);
    }
}
