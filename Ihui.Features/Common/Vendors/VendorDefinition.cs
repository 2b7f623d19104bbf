using System.Diagnostics;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Telemetry;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Vendors;

/// <summary>A vendor's configuration names: key variable (seed 000's), base URL variable and default, timeout variable.</summary>
/// <remarks>
/// <see cref="BaseUrlRequired"/>: the vendor has no public default (a gateway or a private deployment), so a missing
/// base URL is a 503 naming <see cref="BaseUrlVariable"/>, like a missing key. <see cref="KeyAliasVariable"/> and
/// <see cref="ChatUrlVariable"/> are the names another seed's configuration uses (seed 004's <c>QWEN_API_KEY</c> and
/// <c>QWEN_API_CHAT_URL</c>), so its <c>.env</c> works unchanged.
/// </remarks>
public sealed record VendorDefinition(string Name, string KeyVariable, string BaseUrlVariable, string DefaultBaseUrl,
    string ChatCompletionsPath = "chat/completions", int DefaultTimeoutSeconds = 120, string? TimeoutVariableName = null,
    bool BaseUrlRequired = false, string? KeyAliasVariable = null, string? ChatUrlVariable = null)
{
    public string TimeoutVariable => TimeoutVariableName ?? $"{KeyVariable.Replace("_API_KEY", "", StringComparison.Ordinal)}_TIMEOUT_SECONDS";
    public string HttpClientName => "vendor:" + Name;
}

/// <summary>The vendors Ihui talks to. Base URLs are configuration so tests and staging point elsewhere.</summary>
public static class KnownVendors
{
    public static readonly VendorDefinition Ark = new("doubao", "DOUBAO_API_KEY", "DOUBAO_BASE_URL", "https://ark.cn-beijing.volces.com/api/v3");
    public static readonly VendorDefinition DashScope = new("dashscope", "DASHSCOPE_API_KEY", "DASHSCOPE_BASE_URL", "https://dashscope.aliyuncs.com",
        ChatCompletionsPath: "compatible-mode/v1/chat/completions", KeyAliasVariable: "QWEN_API_KEY", ChatUrlVariable: "QWEN_API_CHAT_URL");
    public static readonly VendorDefinition Zhipu = new("zhipu", "GLM_API_KEY", "GLM_BASE_URL", "https://open.bigmodel.cn/api/paas/v4");
    public static readonly VendorDefinition DeepSeek = new("deepseek", "DEEPSEEK_API_KEY", "DEEPSEEK_BASE_URL", "https://api.deepseek.com");
    public static readonly VendorDefinition Gemini = new("gemini", "GEMINI_API_KEY", "GEMINI_BASE_URL", "https://generativelanguage.googleapis.com/v1beta");

    /// <summary>OpenAI-compatible; the vendor publishes no stable base URL, so <c>LUYALA_BASE_URL</c> must be set.</summary>
    public static readonly VendorDefinition Luyala = new("luyala", "LUYALA_API_KEY", "LUYALA_BASE_URL", "http://luyala.unconfigured.invalid",
        BaseUrlRequired: true);

    public static readonly IReadOnlyList<VendorDefinition> All = [Ark, DashScope, Zhipu, DeepSeek, Gemini, Luyala];
}

/// <summary>A vendor's resolved settings. The key never leaves this object except into the auth header.</summary>
public sealed class VendorEndpoint(VendorDefinition definition, IConfiguration configuration, IhuiMetrics? metrics = null)
{
    public VendorDefinition Definition => definition;
    public string Name => definition.Name;

    /// <summary>The upstream account this endpoint calls, as metrics and the call log name it.</summary>
    public string Channel => "default";

    public Uri BaseUrl { get; } = new(Setting.Url(configuration, definition.BaseUrlVariable, definition.DefaultBaseUrl, "http", "https")
        .ToString().TrimEnd('/') + "/");

    public TimeSpan Timeout { get; } = Setting.Seconds(configuration, definition.TimeoutVariable, definition.DefaultTimeoutSeconds, 3600);

    private readonly string? _key = Setting.Text(configuration, definition.KeyVariable)
                                    ?? (definition.KeyAliasVariable is { } alias ? Setting.Text(configuration, alias) : null);

    private Uri? _chatCompletionsUrl = definition.ChatUrlVariable is { } variable && Setting.Text(configuration, variable) is not null
        ? Setting.Url(configuration, variable, "", "http", "https")
        : null;

    /// <summary>The chat completions URL: the full-URL setting when one is set, else the base URL and the vendor's path.</summary>
    public Uri ChatCompletionsUrl => _chatCompletionsUrl ??= Url(definition.ChatCompletionsPath);
    private readonly bool _hasBaseUrl = !definition.BaseUrlRequired || Setting.Text(configuration, definition.BaseUrlVariable) is not null;

    public bool IsConfigured => _key is not null && _hasBaseUrl;

    /// <summary>The API key, or 503 naming the variable to set.</summary>
    public string RequireKey()
    {
        if (!_hasBaseUrl) throw ApiException.VendorNotConfigured(definition.Name, definition.BaseUrlVariable);
        return _key ?? throw ApiException.VendorNotConfigured(definition.Name, definition.KeyVariable);
    }

    public Uri Url(string relative) => new(BaseUrl, relative.TrimStart('/'));

    /// <summary>Records one vendor answer (or failure) started at <paramref name="startedTimestamp"/>; <paramref name="error"/> null = a success.</summary>
    public void Observe(string outcome, string? error, long startedTimestamp)
    {
        if (metrics is null) return;
        metrics.VendorResponse(Name, Channel, outcome, Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);
        if (error is not null) metrics.VendorError(Name, Channel, error);
    }

    /// <summary>A failure after the answer began (a stream cut or garbled).</summary>
    public void ObserveError(string error) => metrics?.VendorError(Name, Channel, error);

    public override string ToString() => $"{Name} ({BaseUrl})";
}

/// <summary>Resolved endpoints, one per vendor, built once from configuration.</summary>
public sealed class VendorEndpoints(IConfiguration configuration, IhuiMetrics? metrics = null)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, VendorEndpoint> _endpoints = new();

    public VendorEndpoint Get(VendorDefinition definition) =>
        _endpoints.GetOrAdd(definition.Name, _ => new VendorEndpoint(definition, configuration, metrics));
}
