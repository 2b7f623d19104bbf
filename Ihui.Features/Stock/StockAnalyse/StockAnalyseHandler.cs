using System.Globalization;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Stock.StockAnalyse;

/// <summary>Asks for the analysis as JSON; output that does not validate is asked for once more, then it is a 502.</summary>
public sealed class StockAnalyseHandler(StockAnalysisAdapter adapter, TimeProvider clock, ILogger<StockAnalyseHandler> logger)
    : IRequestHandler<StockAnalyseRequest, StockAnalyseResult>
{
    /// <summary>China Standard Time has no DST; the date is the Beijing trading date.</summary>
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public async ValueTask<StockAnalyseResult> Handle(StockAnalyseRequest request, CancellationToken cancellationToken)
    {
        var date = clock.GetUtcNow().ToOffset(Beijing).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var used = Usage.None;
        string? problem = null;
        for (var attempt = 1; attempt <= StockAnalyseRequest.Attempts; attempt++)
        {
            var (content, usage) = await adapter.AnalyseAsync(request, date, problem, cancellationToken);
            used = new Usage(used.InputTokens + usage.InputTokens, used.OutputTokens + usage.OutputTokens, Estimated: used.Estimated || usage.Estimated);
            if (StockAnalysisOutput.TryParse(content, request, date, out var analysis, out problem))
                return new StockAnalyseResult(analysis!, used);
            logger.LogWarning("Stock analysis attempt {Attempt} returned invalid output: {Problem}", attempt, problem);
        }
        throw ApiException.VendorError(adapter.VendorName, $"returned an invalid analysis twice ({problem})");
    }
}

/// <summary>Checks the model's JSON against the seed's fields and allowed values.</summary>
public static class StockAnalysisOutput
{
    public static readonly IReadOnlyList<string> Recommendations = ["买入", "增持", "持有", "减持", "卖出"];
    public static readonly IReadOnlyList<string> RiskLevels = ["低", "中等", "高"];

    public static bool TryParse(string content, StockAnalyseRequest request, string date, out StockAnalysis? analysis, out string? problem)
    {
        analysis = null;
        var json = StripFence(content);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            problem = "not JSON";
            return false;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "not a JSON object";
            return false;
        }

        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()?.Trim() : null;

        var code = Text("stock_code");
        var type = Text("analysis_type");
        var recommendation = Text("recommendation");
        var risk = Text("risk_level");
        decimal? price = root.TryGetProperty("target_price", out var p)
            ? p.ValueKind switch
            {
                JsonValueKind.Number when p.TryGetDecimal(out var d) => d,
                JsonValueKind.String when decimal.TryParse(p.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
                _ => null,
            }
            : null;

        problem = code is null || !string.Equals(code, request.NormalizedStockCode, StringComparison.OrdinalIgnoreCase) ? "stock_code missing or different"
            : type != request.EffectiveAnalysisType ? "analysis_type missing or different"
            : recommendation is null || !Recommendations.Contains(recommendation) ? "recommendation not one of the allowed values"
            : risk is null || !RiskLevels.Contains(risk) ? "risk_level not one of the allowed values"
            : price is not > 0 ? "target_price missing or not a positive number"
            : null;
        if (problem is not null) return false;
        analysis = new StockAnalysis(request.NormalizedStockCode, request.EffectiveAnalysisType, recommendation!, risk!,
            price!.Value.ToString("0.00", CultureInfo.InvariantCulture), date);
        return true;
    }

    private static string StripFence(string content)
    {
        var s = content.Trim();
        if (!s.StartsWith("```", StringComparison.Ordinal)) return s;
        var firstLine = s.IndexOf('\n');
        var end = s.LastIndexOf("```", StringComparison.Ordinal);
        return firstLine > 0 && end > firstLine ? s[(firstLine + 1)..end].Trim() : s;
    }
}
