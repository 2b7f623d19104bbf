using Ihui.Features.Common.Configuration;
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
        _appId = Setting.Text(c, AppIdVariable);
        _apiKey = Setting.Text(c, ApiKeyVariable);
        _apiSecret = Setting.Text(c, ApiSecretVariable);
        var sparkBase = Setting.Url(c, "XFYUN_SPARK_URL", "wss://spark-api.xf-yun.com", Schemes).ToString().TrimEnd('/');
        var sparkPath = "/" + Setting.Text(c, "XFYUN_SPARK_PATH", "/v3.5/chat").TrimStart('/');
        SparkUrl = Uri.TryCreate(sparkBase + sparkPath, UriKind.Absolute, out var spark)
            ? spark
            : throw new InvalidSettingException("XFYUN_SPARK_PATH", "XFYUN_SPARK_PATH is not usable: expected a URL path such as /v3.5/chat");
        SparkDomain = Setting.Text(c, "XFYUN_SPARK_DOMAIN", "generalv3.5");
        SparkMaxTokens = Setting.Int(c, "XFYUN_SPARK_MAX_TOKENS", 2048, 1, 1_000_000);
        IatUrl = Setting.Url(c, "XFYUN_IAT_URL", "wss://iat-api.xfyun.cn/v2/iat", Schemes);
        OcrUrl = Setting.Url(c, "XFYUN_OCR_URL", "https://api.xf-yun.com/v1/private/sf8e6aca1", "http", "https");
        Timeout = TimeoutFrom(c);
        IatFrameBytes = Setting.Int(c, "XFYUN_IAT_FRAME_BYTES", 1280, 2, 1024 * 1024);
        IatFrameInterval = Setting.Milliseconds(c, "XFYUN_IAT_FRAME_INTERVAL_MS", 40, 10_000, allowZero: true);
        IatDynamicCorrection = Setting.Bool(c, "XFYUN_IAT_WPGS", true);
    }

    private static readonly string[] Schemes = ["ws", "wss", "http", "https"];

    public static TimeSpan TimeoutFrom(IConfiguration c) => Setting.Seconds(c, "XFYUN_TIMEOUT_SECONDS", 60, 3600);

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

}
