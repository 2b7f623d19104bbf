using System.Globalization;
using Ihui.Features.Common.Errors;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Vendors.IFlytek;

/// <summary>The app's credentials. <see cref="ToString"/> hides the key and secret.</summary>
public sealed record IFlytekCredentials(string AppId, string ApiKey, string ApiSecret)
{
    public override string ToString() => $"iFlytek app {AppId}";
}

/// <summary>
/// iFlytek settings: credentials (<c>XFYUN_APP_ID</c>, <c>XFYUN_API_KEY</c>, <c>XFYUN_API_SECRET</c>), the service URLs
/// (configurable so tests and staging point elsewhere), the Spark domain and the dictation pacing.
/// </summary>
public sealed class IFlytekOptions
{
    public const string Vendor = "iflytek";
    public const string AppIdVariable = "XFYUN_APP_ID";
    public const string ApiKeyVariable = "XFYUN_API_KEY";
    public const string ApiSecretVariable = "XFYUN_API_SECRET";

    private readonly string? _appId;
    private readonly string? _apiKey;
    private readonly string? _apiSecret;

    public IFlytekOptions(IConfiguration c)
    {
        _appId = Value(c, AppIdVariable);
        _apiKey = Value(c, ApiKeyVariable);
        _apiSecret = Value(c, ApiSecretVariable);
        var sparkBase = (Value(c, "XFYUN_SPARK_URL") ?? "wss://spark-api.xf-yun.com").TrimEnd('/');
        var sparkPath = "/" + (Value(c, "XFYUN_SPARK_PATH") ?? "/v3.5/chat").TrimStart('/');
        SparkUrl = Url("XFYUN_SPARK_URL", sparkBase + sparkPath);
        SparkDomain = Value(c, "XFYUN_SPARK_DOMAIN") ?? "generalv3.5";
        SparkMaxTokens = (int)Number(c, "XFYUN_SPARK_MAX_TOKENS", 2048);
        IatUrl = Url("XFYUN_IAT_URL", Value(c, "XFYUN_IAT_URL") ?? "wss://iat-api.xfyun.cn/v2/iat");
        OcrUrl = Url("XFYUN_OCR_URL", Value(c, "XFYUN_OCR_URL") ?? "https://api.xf-yun.com/v1/private/sf8e6aca1");
        Timeout = TimeSpan.FromSeconds(Number(c, "XFYUN_TIMEOUT_SECONDS", 60));
        IatFrameBytes = (int)Number(c, "XFYUN_IAT_FRAME_BYTES", 1280);
        IatFrameInterval = TimeSpan.FromMilliseconds(Number(c, "XFYUN_IAT_FRAME_INTERVAL_MS", 40, allowZero: true));
        IatDynamicCorrection = !string.Equals(Value(c, "XFYUN_IAT_WPGS"), "false", StringComparison.OrdinalIgnoreCase);
    }

    public Uri SparkUrl { get; }
    public string SparkDomain { get; }
    public int SparkMaxTokens { get; }
    public Uri IatUrl { get; }
    public Uri OcrUrl { get; }
    public TimeSpan Timeout { get; }
    public int IatFrameBytes { get; }
    public TimeSpan IatFrameInterval { get; }

    /// <summary>Ask dictation for <c>dwa=wpgs</c> (dynamic correction: later results may replace earlier ones).</summary>
    public bool IatDynamicCorrection { get; }

    /// <summary>The credentials, or 503 naming the first variable that is not set.</summary>
    public IFlytekCredentials RequireCredentials() => new(
        _appId ?? throw ApiException.VendorNotConfigured(Vendor, AppIdVariable),
        _apiKey ?? throw ApiException.VendorNotConfigured(Vendor, ApiKeyVariable),
        _apiSecret ?? throw ApiException.VendorNotConfigured(Vendor, ApiSecretVariable));

    private static Uri Url(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss" or "http" or "https"
            ? uri
            : throw new InvalidOperationException($"{variable} must be an absolute ws://, wss://, http:// or https:// URL");

    private static string? Value(IConfiguration c, string key) => c[key] is { Length: > 0 } v ? v.Trim() : null;

    private static double Number(IConfiguration c, string key, double fallback, bool allowZero = false) =>
        double.TryParse(c[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && (v > 0 || (allowZero && v == 0)) ? v : fallback;
}
