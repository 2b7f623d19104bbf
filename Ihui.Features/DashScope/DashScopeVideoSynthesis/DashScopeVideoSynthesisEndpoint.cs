using System.Net.WebSockets;
using Carter;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.DashScope.DashScopeVideoSynthesis;

public sealed class DashScopeVideoSynthesisEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet(DashScopeVideoSynthesisRequest.Route,
                async (HttpContext context, Authenticator authenticator, IServiceScopeFactory scopes, TaskHub hub, TaskEngine engine, ILoggerFactory logs) =>
                {
                    if (!context.WebSockets.IsWebSocketRequest)
                        throw ApiException.BadRequest("this route is a WebSocket: connect with ws://…?user_uuid=…&client_id=…");
                    using var ws = await context.WebSockets.AcceptWebSocketAsync();
                    var socket = new JsonSocket(ws, VideoFrame.Json);
                    Caller caller;
                    try
                    {
                        caller = await authenticator.AuthenticateAsync(
                            new Credential(CredentialKind.UserUuid, context.Request.Query["user_uuid"].FirstOrDefault()), context.RequestAborted);
                    }
                    catch (ApiException e)
                    {
                        await socket.SendAsync(VideoFrame.Error(e.Status, e.Message), context.RequestAborted);
                        await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "unknown user");
                        return;
                    }
                    await socket.SendAsync(new VideoFrame("connected",
                        new VideoFrameData(ClientId: context.Request.Query["client_id"].FirstOrDefault())), context.RequestAborted);
                    await new VideoSynthesisSession(socket, caller.UserId, scopes, hub, engine, logs.CreateLogger<VideoSynthesisSession>())
                        .RunAsync(context.RequestAborted);
                })
            .WithTags("DashScope")
            .WithSummary("通义千问视频合成 WebSocket (seed 000 #11, wan task)");
}
