using Carter;
using Ihui.Features.Chat.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Chat.QwenOmniStream;

public sealed class QwenOmniStreamEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapChatSocket(QwenOmniStreamRequest.Route, QwenOmniStreamRequest.UpstreamModel, turn => new QwenOmniStreamRequest(turn))
            .WithTags("Chat streams")
            .WithSummary("通义千问 Omni 流式对话 (seed 000 WebSocket #3)");
}
