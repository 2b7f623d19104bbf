using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Vision.DashScopeVisionChat;

public sealed class DashScopeVisionChatEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(DashScopeVisionChatRequest.Route,
                async (DashScopeVisionChatRequest request, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(request with { UserUuid = request.UserUuid ?? userUuid }, ct);
                    return TypedResults.Ok(Envelope.Ok(new VisionChatData(result.Content, result.Receipt)));
                })
            .WithTags("DashScope")
            .WithSummary("通义千问视觉对话 (seed 000 #9)");
}

public sealed record VisionChatData(
    [property: JsonPropertyName("content")] string Content,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
