using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Gemini.GeminiGenerate;

public sealed class GeminiGenerateEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapSeedPost<GeminiGenerateRequest, GeminiGenerateResult, GeminiGenerateData>(GeminiGenerateRequest.Route,
                (request, user) => request with { UserUuid = request.UserUuid ?? user },
                result => new GeminiGenerateData(result.Content, result.Receipt))
            .WithTags("Gemini")
            .WithSummary("Gemini生成 (seed 000 #22)");
}

public sealed record GeminiGenerateData(
    [property: JsonPropertyName("content")] string Content,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
