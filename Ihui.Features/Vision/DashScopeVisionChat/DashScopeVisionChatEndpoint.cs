using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Vision.DashScopeVisionChat;

public sealed class DashScopeVisionChatEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapSeedPost<DashScopeVisionChatRequest, DashScopeVisionChatResult, VisionChatData>(DashScopeVisionChatRequest.Route,
                (request, user) => request with { UserUuid = request.UserUuid ?? user },
                result => new VisionChatData(result.Content, result.Receipt))
            .WithTags("DashScope")
            .WithSummary("通义千问视觉对话 (seed 000 #9)");
}

public sealed record VisionChatData(
    [property: JsonPropertyName("content")] string Content,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
