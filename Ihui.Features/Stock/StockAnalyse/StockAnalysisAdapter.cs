using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Stock.StockAnalyse;

/// <summary>
/// Asks an OpenAI-compatible chat vendor (<c>STOCK_ANALYSIS_VENDOR</c>: dashscope (default) or deepseek; model
/// <c>STOCK_ANALYSIS_MODEL</c>) for the analysis as a JSON object (<c>response_format: json_object</c>).
/// </summary>
public sealed class StockAnalysisAdapter(OpenAiCompatibleClient client, VendorEndpoints endpoints, IConfiguration configuration, CallContext call)
{
    private static readonly Dictionary<string, (VendorDefinition Vendor, string DefaultModel)> Vendors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dashscope"] = (KnownVendors.DashScope, "qwen-plus"),
        ["deepseek"] = (KnownVendors.DeepSeek, "deepseek-chat"),
    };

    private static readonly Dictionary<string, string> Focus = new(StringComparer.Ordinal)
    {
        ["basic"] = "基本面概览与整体判断",
        ["technical"] = "技术面（趋势、支撑与阻力、量价）",
        ["fundamental"] = "基本面（业务、盈利能力、估值）",
        ["comprehensive"] = "技术面与基本面的综合判断",
    };

    private (VendorDefinition Vendor, string DefaultModel) Choice =>
        Vendors.TryGetValue(configuration["STOCK_ANALYSIS_VENDOR"] is { Length: > 0 } v ? v : "dashscope", out var c)
            ? c
            : throw new ApiException(503, "vendor_not_configured", "stock analysis: STOCK_ANALYSIS_VENDOR must be dashscope or deepseek");

    public string VendorName => Choice.Vendor.Name;

    public async Task<(string Content, Usage Usage)> AnalyseAsync(StockAnalyseRequest request, string date, string? previousProblem, CancellationToken ct)
    {
        var (definition, defaultModel) = Choice;
        var vendor = endpoints.Get(definition);
        call.Vendor = vendor.Name;
        var system =
            "你是证券研究助理。只输出一个 JSON 对象（json），不要输出任何其他文字。字段：" +
            "stock_code（原样返回用户给出的代码）、analysis_type（原样返回）、" +
            $"recommendation（只能是 {string.Join("、", StockAnalysisOutput.Recommendations)} 之一）、" +
            $"risk_level（只能是 {string.Join("、", StockAnalysisOutput.RiskLevels)} 之一）、" +
            "target_price（目标价，字符串，两位小数，如 \"100.00\"）。你没有实时行情数据，请基于已有知识给出判断。";
        var user = $"股票代码：{request.NormalizedStockCode}\n分析类型：{request.EffectiveAnalysisType}（{Focus[request.EffectiveAnalysisType]}）\n分析日期：{date}";
        if (previousProblem is not null) user += $"\n上一次的输出无效（{previousProblem}），请严格按要求只输出 JSON 对象。";

        var completion = await client.CompleteAsync(vendor, new ChatCompletionRequest
        {
            Model = configuration["STOCK_ANALYSIS_MODEL"] is { Length: > 0 } m ? m : defaultModel,
            Messages = [new ChatMessage("system", system), new ChatMessage("user", user)],
            MaxTokens = StockAnalyseRequest.MaxOutputTokens,
            Temperature = 0.2,
            Extra = new Dictionary<string, JsonElement> { ["response_format"] = JsonSerializer.SerializeToElement(new { type = "json_object" }) },
        }, ct);

        var content = completion.Choices[0].Message?.Content ?? "";
        var usage = completion.Usage is { } u
            ? new Usage(u.PromptTokens, u.CompletionTokens)
            : new Usage(Usage.TokensForText(system + user), Usage.TokensForText(content), Estimated: true);
        return (content, usage);
    }
}
