using Carter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Voice.Playground;

/// <summary>
/// <c>GET /playground/voice</c>: a page (seed 004's test pages' job) that records from the microphone, sends the
/// packets to <c>/v1/chat/audio</c> with the API key typed in, shows the transcription and the streamed answer, and
/// plays the streamed MP3. The page is static; the key never reaches the server but on the socket's URL.
/// </summary>
public sealed class VoicePlaygroundEndpoint : ICarterModule
{
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(VoicePlaygroundEndpoint).Assembly.GetManifestResourceStream("Ihui.Features.Voice.Playground.voice.html")!;
        return new StreamReader(stream).ReadToEnd();
    });

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet("/playground/voice", () => Results.Content(Page.Value, "text/html; charset=utf-8"))
            .ExcludeFromDescription();
}
