using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Voice.Session;

/// <summary>Settings of the seed-004 voice sockets (names as the seed has them where it has them; docs/voice-sockets.md).</summary>
public sealed record VoiceOptions
{
    public string AsrModel { get; init; } = "qwen3-asr-flash";
    public string InlineAsrModel { get; init; } = "qwen3-asr-flash";
    public string ChatModel { get; init; } = "qwen-plus";
    public string VlmModel { get; init; } = "qwen-vl-plus";
    public string SystemPrompt { get; init; } = "你是一个有帮助的助手。";
    public int MaxAnswerTokens { get; init; } = 2048;
    public int AudioPacketBytes { get; init; } = 8 * 1024;
    public int VlmPacketBytes { get; init; } = 50 * 1024;
    public int MaxAudioBytes { get; init; } = 7 * 1024 * 1024;
    public int MaxImageBytes { get; init; } = 7 * 1024 * 1024;
    public int MaxAudioSeconds { get; init; } = 300;
    public int PcmSampleRate { get; init; } = 16000;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan PacketTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public int AudioQueueFrames { get; init; } = 32;
    public int HistoryMaxTurns { get; init; } = 10;
    public int HistoryMaxChars { get; init; } = 12_000;

    /// <summary>paraformer and fun-asr transcribe files by URL only (notes §1b): they need a URL the vendor can fetch.</summary>
    public bool AsrNeedsUrl => AsrModel.StartsWith("paraformer", StringComparison.Ordinal) || AsrModel.StartsWith("fun-asr", StringComparison.Ordinal);

    public static VoiceOptions From(IConfiguration c) => new()
    {
        AsrModel = Setting.Text(c, "QWEN_AUDIO_RECOGNIZE_MODEL", "qwen3-asr-flash"),
        ChatModel = Setting.Text(c, "QWEN_CHAT_MODEL", "qwen-plus"),
        VlmModel = Setting.Text(c, "QWEN_VLM_MODEL", "qwen-vl-plus"),
        SystemPrompt = Setting.Text(c, "DEFAULT_SYSTEM_PROMPT", "你是一个有帮助的助手。"),
        MaxAnswerTokens = Setting.Int(c, "VOICE_MAX_ANSWER_TOKENS", 2048, 16, 32_768),
        MaxAudioBytes = Setting.Int(c, "VOICE_MAX_AUDIO_BYTES", 7 * 1024 * 1024, 1024, 7 * 1024 * 1024),
        MaxImageBytes = Setting.Int(c, "VOICE_MAX_IMAGE_BYTES", 7 * 1024 * 1024, 1024, 7 * 1024 * 1024),
        IdleTimeout = Setting.Seconds(c, "VOICE_IDLE_TIMEOUT_SECONDS", (double)Setting.Decimal(c, "WS_IDLE_TIMEOUT_SECONDS", 60, 0, 86_400, aboveMin: true), 86_400),
        PacketTimeout = Setting.Seconds(c, "VOICE_PACKET_TIMEOUT_SECONDS", 15, 3600),
        AudioQueueFrames = Setting.Int(c, "VOICE_AUDIO_QUEUE_FRAMES", 32, 1, 4096),
        HistoryMaxTurns = Setting.Int(c, "CHAT_HISTORY_MAX_TURNS", 10, 0, 1000),
        HistoryMaxChars = Setting.Int(c, "CHAT_HISTORY_MAX_CHARS", 12_000, 0, 10_000_000),
    };
}
