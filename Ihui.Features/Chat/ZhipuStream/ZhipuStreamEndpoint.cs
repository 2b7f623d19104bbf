using Carter;
using Ihui.Features.Chat.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Chat.ZhipuStream;

public sealed class ZhipuStreamEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapChatSocket(ZhipuStreamRequest.Route, ZhipuStreamRequest.UpstreamModel, turn => new ZhipuStreamRequest(turn))
            .WithTags("Chat streams")
            .WithSummary("智谱流式对话 (seed 000 WebSocket #4)");
}
