using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Chat;

/// <summary>Chat-stream settings: how much history goes with a turn, and the WebSocket session limits.</summary>
public sealed record ChatOptions
{
    public int HistoryMaxTurns { get; init; } = 10;
    public int HistoryMaxChars { get; init; } = 12_000;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public int MaxFrameBytes { get; init; } = 64 * 1024;

    public static ChatOptions From(IConfiguration c) => new()
    {
        HistoryMaxTurns = Setting.Int(c, "CHAT_HISTORY_MAX_TURNS", 10, 0, 1000),
        HistoryMaxChars = Setting.Int(c, "CHAT_HISTORY_MAX_CHARS", 12_000, 0, 10_000_000),
        IdleTimeout = Setting.Seconds(c, "WS_IDLE_TIMEOUT_SECONDS", 60, 24 * 3600),
        MaxFrameBytes = Setting.Int(c, "WS_MAX_FRAME_BYTES", 64 * 1024, 1024, 64 * 1024 * 1024),
    };
}
