using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Voice.Session;

public static class VoiceSocketRoutes
{
    public const int MaxSessionIdChars = 128;

    /// <summary>
    /// A voice socket. The API key comes as <c>Authorization: Bearer sk-…</c> on the upgrade, or (browsers cannot set
    /// headers on a WebSocket) as <c>?api_key=sk-…</c>; <c>?session_id=</c> continues an earlier conversation of the
    /// same user; <c>?sample_rate=</c> declares the rate of raw PCM (default 16000).
    /// </summary>
    public static RouteHandlerBuilder MapVoiceSocket(this IEndpointRouteBuilder app, string route, VoiceFlavor flavor) =>
        app.MapGet(route, async (HttpContext context, VoiceOptions options, IServiceScopeFactory scopes, ILoggerFactory loggers) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
                throw ApiException.BadRequest("this route is a WebSocket: connect with ws://host" + route);
            var query = context.Request.Query;
            var apiKey = Bearer.Token(context.Request) ?? (query["api_key"].ToString() is { Length: > 0 } k ? k : null);
            var sessionId = query["session_id"].ToString();
            if (sessionId.Length > MaxSessionIdChars) throw ApiException.BadRequest($"session_id: at most {MaxSessionIdChars} characters");
            if (sessionId.Length == 0) sessionId = Guid.NewGuid().ToString();
            var rate = options.PcmSampleRate;
            if (query["sample_rate"].ToString() is { Length: > 0 } r)
                rate = int.TryParse(r, out var parsed) && parsed is >= 8000 and <= 48000
                    ? parsed
                    : throw ApiException.BadRequest("sample_rate: a whole number of Hz from 8000 to 48000");

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var logger = loggers.CreateLogger(typeof(VoiceSocketSession).FullName!);
            using (logger.BeginScope(new Dictionary<string, object> { ["Route"] = route, ["SessionId"] = sessionId }))
                await new VoiceSocketSession(socket, new VoiceConnection(flavor, apiKey, sessionId, rate, PublicUrls.RequestOrigin(context.Request)),
                    options, scopes, logger).RunAsync(context.RequestAborted);
            return Results.Empty;
        });
}
