using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Gemini.GeminiGenerate;

public sealed class GeminiGenerateEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(GeminiGenerateRequest.Route,
                async (GeminiGenerateRequest request, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(request with { UserUuid = request.UserUuid ?? userUuid }, ct);
                    return TypedResults.Ok(Envelope.Ok(new GeminiGenerateData(result.Content, result.Receipt)));
                })
            .WithTags("Gemini")
            .WithSummary("Gemini生成 (seed 000 #22)");
}

public sealed record GeminiGenerateData(
    [property: JsonPropertyName("content")] string Content,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
