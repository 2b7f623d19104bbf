using Carter;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Tasks.PublicSocket;

public sealed class PublicSocketEndpoint : ICarterModule
{
    public const string Route = "/cozeZhsApi/public-socket/ws";

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet(Route, async (HttpContext context, Authenticator authenticator, TaskHub hub, ILoggerFactory logs) =>
            {
                if (!context.WebSockets.IsWebSocketRequest)
                    throw ApiException.BadRequest("this route is a WebSocket: connect with ws:// and send a register frame");
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await new PublicSocketSession(new JsonSocket(socket, SocketFrame.Json), authenticator, hub, logs.CreateLogger<PublicSocketSession>())
                    .RunAsync(context.RequestAborted);
            })
            .WithTags("Tasks")
            .WithSummary("公共Socket (seed 000): task progress and completion events");
}
