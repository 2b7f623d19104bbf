using System.Text.RegularExpressions;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Stock.StockAnalyse;

/// <summary>
/// Seed 000 HTTP #12, 股票分析: an LLM's structured opinion on a stock code. No market data is fetched; the model
/// answers from what it knows, so this is not investment advice.
/// </summary>
public sealed partial record StockAnalyseRequest : IRequest<StockAnalyseResult>, ILoggedCall, IUserUuidRequest, IBillable
{
    public const string PriceModelName = "stock-analyse";

    /// <summary>The answer is small JSON; the cap bounds the hold. Two attempts at most (one retry on invalid output).</summary>
    public const int MaxOutputTokens = 512;
    public const int Attempts = 2;
    public const int PromptOverheadTokens = 600;

    public static readonly IReadOnlyList<string> AnalysisTypes = ["basic", "technical", "fundamental", "comprehensive"];

    public static string Route => "/cozeZhsApi/stock/analyse";

    public string? StockCode { get; init; }
    public string? AnalysisType { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    public string EffectiveAnalysisType => string.IsNullOrEmpty(AnalysisType) ? "basic" : AnalysisType;
    public string NormalizedStockCode => (StockCode ?? "").Trim().ToUpperInvariant();

    string IBillable.PriceModel => PriceModelName;

    public Usage EstimateUsage() => new(Attempts * PromptOverheadTokens, Attempts * MaxOutputTokens);

    /// <summary>A-share (<c>600519</c>, <c>SH600519</c>, <c>600519.SH</c>; SH/SZ/BJ), Hong Kong (<c>00700.HK</c>, <c>HK00700</c>) or a US ticker (<c>AAPL</c>, <c>BRK.B</c>).</summary>
    [GeneratedRegex(@"^(?:(?:SH|SZ|BJ)?\d{6}|\d{6}\.(?:SH|SZ|BJ)|\d{4,5}\.HK|HK\d{4,5}|[A-Z]{1,5}(?:\.[A-Z]{1,2})?)$", RegexOptions.CultureInvariant)]
    public static partial Regex StockCodePattern();
}

/// <summary>The seed's <c>analysis_result</c>.</summary>
public sealed record StockAnalysis(
    string StockCode,
    string AnalysisType,
    string Recommendation,
    string RiskLevel,
    string TargetPrice,
    string AnalysisDate);

public sealed record StockAnalyseResult(StockAnalysis Analysis, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
