using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ihui.Features.Voice.Session;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Voice.ChatVlm;

/// <summary>Seed 004 <c>ws /v1/chat/vlm</c>: a spoken question about an image → vision model → streamed speech.</summary>
public sealed class ChatVlmEndpoint : ICarterModule
{
    public const string Route = "/v1/chat/vlm";

    public void AddRoutes(IEndpointRouteBuilder app) => app.MapVoiceSocket(Route, VoiceFlavor.Vlm)
        .WithTags("Voice").WithSummary("视觉语音对话 WebSocket (seed 004): audio and image packets, end; vlm_chat_chunk and audio_stream frames out");
}
