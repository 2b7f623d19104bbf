using Carter;
using Ihui.Features.Chat.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Chat.DoubaoStream;

public sealed class DoubaoStreamEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapChatSocket(DoubaoStreamRequest.Route, DoubaoStreamRequest.UpstreamModel, turn => new DoubaoStreamRequest(turn))
            .WithTags("Chat streams")
            .WithSummary("豆包流式对话 (seed 000 WebSocket #1)");
}
