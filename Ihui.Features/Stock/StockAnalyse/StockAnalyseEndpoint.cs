using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Stock.StockAnalyse;

public sealed class StockAnalyseEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(StockAnalyseRequest.Route,
                async (StockAnalyseRequest request, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(request with { UserUuid = request.UserUuid ?? userUuid }, ct);
                    return TypedResults.Ok(Envelope.Ok(new StockAnalyseData(result.Analysis, result.Receipt)));
                })
            .WithTags("Stock")
            .WithSummary("股票分析 (seed 000 #12; LLM opinion, no market data, not investment advice)");
}

public sealed record StockAnalyseData(
    [property: JsonPropertyName("analysis_result")] StockAnalysis AnalysisResult,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
