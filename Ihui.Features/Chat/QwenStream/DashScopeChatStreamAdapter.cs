using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Vendors;

namespace Ihui.Features.Chat.QwenStream;

/// <summary>Qwen through DashScope's compatible mode (vendor-protocols.md §3a).</summary>
public sealed class DashScopeChatStreamAdapter(ChatStreamer streamer)
{
    public IAsyncEnumerable<ChatStreamChunk> StreamAsync(QwenStreamRequest request, CancellationToken ct) =>
        streamer.StreamAsync(KnownVendors.DashScope, request, extra: null, ct);
}
