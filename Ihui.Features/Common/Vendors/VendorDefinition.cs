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
    bool BaseUrlRequired = false, string? KeyAliasVariable = null, string? ChatUrlVariable = null, string? SecretVariable = null)
{
    /// <summary>The vendor signs with a key pair (access key in <see cref="KeyVariable"/>, secret key in <see cref="SecretVariable"/>).</summary>
    public bool UsesKeyPair => SecretVariable is not null;

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

    /// <summary>302.AI, an OpenAI-compatible aggregator (chat and <c>images/generations</c>): seed 003's <c>302/…</c> models.</summary>
    public static readonly VendorDefinition Ai302 = new("302ai", "AI302_API_KEY", "AI302_BASE_URL", "https://api.302.ai/v1");

    public static readonly IReadOnlyList<VendorDefinition> All = [Ark, DashScope, Zhipu, DeepSeek, Gemini, Luyala, Ai302];

    private static readonly Dictionary<string, VendorDefinition> ByName = All.ToDictionary(v => v.Name, StringComparer.Ordinal);

    /// <summary>The chat vendor of that name, or null; looked up on every chat call, so without a scan.</summary>
    public static VendorDefinition? Find(string name) => ByName.GetValueOrDefault(name);
}

/// <summary>
/// One upstream account of a vendor, resolved: base URL, timeout and key. The vendor's environment variables make its
/// <c>default</c> channel; channels an admin adds are built from their rows. The key never leaves this object except
/// into the auth header.
/// </summary>
public sealed class VendorEndpoint
{
    private readonly IhuiMetrics? _metrics;
    private readonly string? _key;
    private readonly string? _secret;
    private readonly bool _hasBaseUrl;

    /// <summary>The vendor's default channel, from its environment variables.</summary>
    public VendorEndpoint(VendorDefinition definition, IConfiguration configuration, IhuiMetrics? metrics = null, Channels.ChannelHealth? health = null)
        : this(definition, Channels.ChannelNames.Default,
            Setting.Url(configuration, definition.BaseUrlVariable, definition.DefaultBaseUrl, "http", "https"),
            Setting.Seconds(configuration, definition.TimeoutVariable, definition.DefaultTimeoutSeconds, 3600),
            Setting.Text(configuration, definition.KeyVariable)
            ?? (definition.KeyAliasVariable is { } alias ? Setting.Text(configuration, alias) : null),
            !definition.BaseUrlRequired || Setting.Text(configuration, definition.BaseUrlVariable) is not null, metrics, health,
            definition.ChatUrlVariable is { } variable && Setting.Text(configuration, variable) is not null
                ? Setting.Url(configuration, variable, "", "http", "https")
                : null,
            definition.SecretVariable is { } secret ? Setting.Text(configuration, secret) : null)
    {
    }

    public VendorEndpoint(VendorDefinition definition, string channel, Uri baseUrl, TimeSpan timeout, string? key, bool hasBaseUrl,
        IhuiMetrics? metrics, Channels.ChannelHealth? health = null, Uri? chatUrlOverride = null, string? secret = null)
    {
        _secret = secret;
        ChatUrlOverride = chatUrlOverride;
        Definition = definition;
        Channel = channel;
        BaseUrl = new Uri(baseUrl.ToString().TrimEnd('/') + "/");
        Timeout = timeout;
        _key = key;
        _hasBaseUrl = hasBaseUrl;
        _metrics = metrics;
        Health = health;
    }

    public VendorDefinition Definition { get; }
    public string Name => Definition.Name;

    /// <summary>The upstream account this endpoint calls, as metrics and the call log name it.</summary>
    public string Channel { get; }

    public Uri BaseUrl { get; }

    /// <summary>How long one request to this channel may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The channel's circuit breaker, fed by every answer observed here; null for an endpoint outside routing.</summary>
    public Channels.ChannelHealth? Health { get; }

    /// <summary>A full chat completions URL set for this channel (seed 004's <c>QWEN_API_CHAT_URL</c>), or null.</summary>
    public Uri? ChatUrlOverride { get; }

    /// <summary>The chat completions URL: the full-URL setting when one is set, else the base URL and the vendor's path.</summary>
    public Uri ChatCompletionsUrl => _chatCompletionsUrl ??= ChatUrlOverride ?? Url(Definition.ChatCompletionsPath);

    private Uri? _chatCompletionsUrl;

    public bool IsConfigured => _key is not null && _hasBaseUrl;

    /// <summary>The API key, or 503 naming the variable to set.</summary>
    public string RequireKey()
    {
        if (!_hasBaseUrl) throw ApiException.VendorNotConfigured(Definition.Name, Definition.BaseUrlVariable);
        return _key ?? throw ApiException.VendorNotConfigured(Definition.Name, Definition.KeyVariable);
    }

    /// <summary>The secret key of a key-pair vendor (Kling, Jimeng), or 503 naming the variable to set.</summary>
    public string RequireSecret() =>
        _secret ?? throw ApiException.VendorNotConfigured(Definition.Name, Definition.SecretVariable ?? Definition.KeyVariable);

    /// <summary>The key when there is one (to register it with the scrubber), never for a request.</summary>
    internal string? Key => _key;

    /// <summary>The secret key, if any (for the scrubber and the admin's mask), never for a request.</summary>
    internal string? Secret => _secret;

    public Uri Url(string relative) => new(BaseUrl, relative.TrimStart('/'));

    /// <summary>Records one vendor answer (or failure) started at <paramref name="startedTimestamp"/>; <paramref name="error"/> null = a success.</summary>
    public void Observe(string outcome, string? error, long startedTimestamp)
    {
        Health?.Observe(outcome);
        if (_metrics is null) return;
        _metrics.VendorResponse(Name, Channel, outcome, Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);
        if (error is not null) _metrics.VendorError(Name, Channel, error);
    }

    /// <summary>A failure after the answer began (a stream cut or garbled).</summary>
    public void ObserveError(string error)
    {
        Health?.Observe(error);
        _metrics?.VendorError(Name, Channel, error);
    }

    public override string ToString() => $"{Name}/{Channel} ({BaseUrl})";
}

/// <summary>Resolved endpoints, one per vendor, built once from configuration.</summary>
public sealed class VendorEndpoints(IConfiguration configuration, IhuiMetrics? metrics = null)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, VendorEndpoint> _endpoints = new();

    public VendorEndpoint Get(VendorDefinition definition) =>
        _endpoints.GetOrAdd(definition.Name, _ => new VendorEndpoint(definition, configuration, metrics));
}
