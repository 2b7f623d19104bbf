using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Stock.StockAnalyse;

/// <summary>
/// Asks an OpenAI-compatible chat vendor (<c>STOCK_ANALYSIS_VENDOR</c>: dashscope (default) or deepseek; model
/// <c>STOCK_ANALYSIS_MODEL</c>) for the analysis as a JSON object (<c>response_format: json_object</c>).
/// </summary>
public sealed class StockAnalysisAdapter(OpenAiCompatibleClient client, VendorEndpoints endpoints, StockAnalysisSettings settings, CallContext call)
{

    private static readonly Dictionary<string, string> Focus = new(StringComparer.Ordinal)
    {
        ["basic"] = "基本面概览与整体判断",
        ["technical"] = "技术面（趋势、支撑与阻力、量价）",
        ["fundamental"] = "基本面（业务、盈利能力、估值）",
        ["comprehensive"] = "技术面与基本面的综合判断",
    };

    public string VendorName => settings.Vendor.Name;

    public async Task<(string Content, Usage Usage)> AnalyseAsync(StockAnalyseRequest request, string date, string? previousProblem, CancellationToken ct)
    {
        var vendor = endpoints.Get(settings.Vendor);
        call.Vendor = vendor.Name;
        var system =
            "你是证券研究助理。只输出一个 JSON 对象（json），不要输出任何其他文字。字段：" +
            "stock_code（原样返回用户给出的代码）、analysis_type（原样返回）、" +
            $"recommendation（只能是 {string.Join("、", StockAnalysisOutput.Recommendations)} 之一）、" +
            $"risk_level（只能是 {string.Join("、", StockAnalysisOutput.RiskLevels)} 之一）、" +
            "target_price（目标价，字符串，两位小数，如 \"100.00\"）。你没有实时行情数据，请基于已有知识给出判断。";
        var user = $"股票代码：{request.NormalizedStockCode}\n分析类型：{request.EffectiveAnalysisType}（{Focus[request.EffectiveAnalysisType]}）\n分析日期：{date}";
        if (previousProblem is not null) user += $"\n上一次的输出无效（{previousProblem}），请严格按要求只输出 JSON 对象。";

        var completion = await client.CompleteAsync(vendor.Definition, new ChatCompletionRequest
        {
            Model = settings.Model,
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

/// <summary><c>STOCK_ANALYSIS_VENDOR</c> (dashscope or deepseek) and <c>STOCK_ANALYSIS_MODEL</c> (the vendor's default model).</summary>
public sealed record StockAnalysisSettings(VendorDefinition Vendor, string Model)
{
    public static StockAnalysisSettings From(IConfiguration c)
    {
        var vendor = Setting.OneOf(c, "STOCK_ANALYSIS_VENDOR", "dashscope", "dashscope", "deepseek") == "deepseek" ? KnownVendors.DeepSeek : KnownVendors.DashScope;
        return new(vendor, Setting.Text(c, "STOCK_ANALYSIS_MODEL", vendor == KnownVendors.DeepSeek ? "deepseek-chat" : "qwen-plus"));
    }
}

public sealed class StockAnalysisInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration) => services.AddSingleton(StockAnalysisSettings.From(configuration));
}
