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
        HistoryMaxTurns = (int)(GatewaySettings.Decimal(c, "CHAT_HISTORY_MAX_TURNS") ?? 10m),
        HistoryMaxChars = (int)(GatewaySettings.Decimal(c, "CHAT_HISTORY_MAX_CHARS") ?? 12_000m),
        IdleTimeout = TimeSpan.FromSeconds((double)(GatewaySettings.Decimal(c, "WS_IDLE_TIMEOUT_SECONDS") ?? 60m)),
        MaxFrameBytes = (int)(GatewaySettings.Decimal(c, "WS_MAX_FRAME_BYTES") ?? 64m * 1024),
    };
}
