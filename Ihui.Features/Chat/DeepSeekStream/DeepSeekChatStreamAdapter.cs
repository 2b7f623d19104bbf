using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Vendors;

namespace Ihui.Features.Chat.DeepSeekStream;

/// <summary>DeepSeek chat, reasoning deltas included (vendor-protocols.md §5).</summary>
public sealed class DeepSeekChatStreamAdapter(ChatStreamer streamer)
{
    public IAsyncEnumerable<ChatStreamChunk> StreamAsync(DeepSeekStreamRequest request, CancellationToken ct) =>
        streamer.StreamAsync(KnownVendors.DeepSeek, request, extra: null, ct);
}
