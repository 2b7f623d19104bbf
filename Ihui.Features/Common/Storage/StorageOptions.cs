using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Storage;

/// <summary>
/// Where files go: the local directory <c>STORAGE_DIR</c>, or an S3-compatible bucket when <c>S3_BUCKET</c> is set.
/// <c>PUBLIC_BASE_URL</c> is the origin clients reach Ihui at, for the absolute URLs it hands out.
/// </summary>
public sealed record StorageOptions
{
    public string Directory { get; init; } = "storage";
    public Uri? PublicBaseUrl { get; init; }
    public S3StoreOptions? S3 { get; init; }

    public static StorageOptions From(IConfiguration c)
    {
        var bucket = Setting.Text(c, "S3_BUCKET");
        return new StorageOptions
        {
            Directory = Setting.Text(c, "STORAGE_DIR", "storage"),
            PublicBaseUrl = HttpUrl(c, "PUBLIC_BASE_URL"),
            S3 = bucket is null ? null : new S3StoreOptions
            {
                Bucket = bucket,
                Endpoint = HttpUrl(c, "S3_ENDPOINT"),
                Region = Setting.Text(c, "S3_REGION", "us-east-1"),
                AccessKeyId = Required(c, "S3_ACCESS_KEY_ID"),
                SecretAccessKey = Required(c, "S3_SECRET_ACCESS_KEY"),
                ForcePathStyle = Setting.Bool(c, "S3_FORCE_PATH_STYLE", true),
                KeyPrefix = (Setting.Text(c, "S3_KEY_PREFIX") ?? "").Trim('/') is { Length: > 0 } prefix ? prefix + "/" : "",
                PublicBaseUrl = HttpUrl(c, "S3_PUBLIC_BASE_URL"),
            },
        };
    }

    /// <summary>An absolute http(s) URL without a query, kept with a trailing "/" so names resolve under its path.</summary>
    private static Uri? HttpUrl(IConfiguration c, string key)
    {
        if (Setting.Text(c, key) is null) return null;
        var uri = Setting.Url(c, key, "", "http", "https");
        if (uri.Query.Length > 0) throw new InvalidSettingException(key, $"{key} is not usable: expected a URL without a query");
        return new Uri(uri.ToString().TrimEnd('/') + "/");
    }

    private static string Required(IConfiguration c, string key) =>
        Setting.Text(c, key) ?? throw new InvalidSettingException(key, $"{key} is not set: S3_BUCKET is set, so {key} is required");
}

/// <summary>An S3-compatible bucket (AWS S3, Aliyun OSS, MinIO, Cloudflare R2…).</summary>
public sealed record S3StoreOptions
{
    public string Bucket { get; init; } = "";
    /// <summary>The service URL for a non-AWS store; null = AWS S3 in <see cref="Region"/>.</summary>
    public Uri? Endpoint { get; init; }
    public string Region { get; init; } = "us-east-1";
    public string AccessKeyId { get; init; } = "";
    public string SecretAccessKey { get; init; } = "";
    /// <summary>Path-style addressing (<c>host/bucket/key</c>), which MinIO wants; virtual-hosted when false.</summary>
    public bool ForcePathStyle { get; init; } = true;
    /// <summary>Prepended to every key ("" or ending in "/").</summary>
    public string KeyPrefix { get; init; } = "";
    /// <summary>Where the bucket's objects are publicly readable (a CDN or the bucket's public URL), if anywhere.</summary>
    public Uri? PublicBaseUrl { get; init; }

    public override string ToString() => $"S3StoreOptions {{ Bucket = {Bucket}, Endpoint = {Endpoint}, Region = {Region} }}";
}
