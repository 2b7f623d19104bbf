using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Vendors.IFlytek;
using Mediator;

namespace Ihui.Features.IFlytek.VoiceModelChat;

/// <summary>
/// Seed 001/002 <c>POST /voiceModel/chat</c>: a raw PCM body (16 kHz, 16-bit, mono) → the recognised text.
/// Billed per second of audio. The seed names no user field: <c>uuid</c>/<c>username</c> come from headers
/// (as for PictureToText) or the query string.
/// </summary>
public sealed record VoiceModelChatRequest(ReadOnlyMemory<byte> Audio) : IRequest<VoiceModelChatResult>, ILoggedCall, IUuidUsernameRequest, IBillable
{
    public const string PriceModelName = "xfyun-iat";
    public const int MinBytes = IatClient.BytesPerSecond / 10;
    public const int MaxSeconds = 60;
    public const int MaxBytes = IatClient.BytesPerSecond * MaxSeconds;

    public static string Route => "/voiceModel/chat";

    public string? Uuid { get; init; }
    public string? Username { get; init; }

    public decimal Seconds => Audio.Length / (decimal)IatClient.BytesPerSecond;

    string IBillable.PriceModel => PriceModelName;

    /// <summary>The audio's length is known up front, so the hold is the exact charge.</summary>
    public Usage EstimateUsage() => new(0, 0, Seconds: Seconds);
}

public sealed record VoiceModelChatResult(string Content, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
