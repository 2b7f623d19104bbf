using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Vendors;

namespace Ihui.Features.Chat.QwenOmniStream;

/// <summary>Qwen-Omni through DashScope's compatible mode, which only streams; text output only (vendor-protocols.md §3a).</summary>
public sealed class DashScopeOmniStreamAdapter(ChatStreamer streamer)
{
    // Omni answers only as a stream; text only, so no audio is generated (or billed).
    private static readonly IReadOnlyDictionary<string, object> TextOnly = new Dictionary<string, object> { ["modalities"] = new[] { "text" } };

    public IAsyncEnumerable<ChatStreamChunk> StreamAsync(QwenOmniStreamRequest request, CancellationToken ct) =>
        streamer.StreamAsync(KnownVendors.DashScope, request, TextOnly, ct);
}
