using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Vendors;

namespace Ihui.Features.Chat.ZhipuStream;

/// <summary>GLM through Zhipu's chat completions with its JWT auth (vendor-protocols.md §4).</summary>
public sealed class ZhipuChatStreamAdapter(ChatStreamer streamer)
{
    public IAsyncEnumerable<ChatStreamChunk> StreamAsync(ZhipuStreamRequest request, CancellationToken ct) =>
        streamer.StreamAsync(KnownVendors.Zhipu, request, extra: null, ct);
}
