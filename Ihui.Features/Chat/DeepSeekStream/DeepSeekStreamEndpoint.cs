using Carter;
using Ihui.Features.Chat.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Chat.DeepSeekStream;

public sealed class DeepSeekStreamEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapChatSocket(DeepSeekStreamRequest.Route, DeepSeekStreamRequest.UpstreamModel, turn => new DeepSeekStreamRequest(turn))
            .WithTags("Chat streams")
            .WithSummary("DeepSeek 流式对话 (seed 000 WebSocket #5)");
}
