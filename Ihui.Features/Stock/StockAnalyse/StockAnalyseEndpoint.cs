using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Stock.StockAnalyse;

public sealed class StockAnalyseEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapSeedPost<StockAnalyseRequest, StockAnalyseResult, StockAnalyseData>(StockAnalyseRequest.Route,
                (request, user) => request with { UserUuid = request.UserUuid ?? user },
                result => new StockAnalyseData(result.Analysis, result.Receipt))
            .WithTags("Stock")
            .WithSummary("股票分析 (seed 000 #12; LLM opinion, no market data, not investment advice)");
}

public sealed record StockAnalyseData(
    [property: JsonPropertyName("analysis_result")] StockAnalysis AnalysisResult,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
