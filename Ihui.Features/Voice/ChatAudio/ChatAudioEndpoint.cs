using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ihui.Features.Voice.Session;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Voice.ChatAudio;

/// <summary>Seed 004 <c>ws /v1/chat/audio</c>: spoken question → transcription → streamed answer → streamed speech.</summary>
public sealed class ChatAudioEndpoint : ICarterModule
{
    public const string Route = "/v1/chat/audio";

    public void AddRoutes(IEndpointRouteBuilder app) => app.MapVoiceSocket(Route, VoiceFlavor.Audio)
        .WithTags("Voice").WithSummary("语音对话 WebSocket (seed 004): packets in; chat_chunk and audio_stream (MP3) frames out");
}
