using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Vendors;

namespace Ihui.Features.Chat.DoubaoStream;

/// <summary>Doubao through Ark's OpenAI-compatible chat completions (vendor-protocols.md §1a).</summary>
public sealed class ArkChatStreamAdapter(ChatStreamer streamer)
{
    public IAsyncEnumerable<ChatStreamChunk> StreamAsync(DoubaoStreamRequest request, CancellationToken ct) =>
        streamer.StreamAsync(KnownVendors.Ark, request, extra: null, ct);
}
