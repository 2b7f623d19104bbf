using Carter;
using Ihui.Features.Chat.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Chat.QwenStream;

public sealed class QwenStreamEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapChatSocket(QwenStreamRequest.Route, QwenStreamRequest.UpstreamModel, turn => new QwenStreamRequest(turn))
            .WithTags("Chat streams")
            .WithSummary("通义千问流式对话 (seed 000 WebSocket #2)");
}
