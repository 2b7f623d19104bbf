using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ihui.Features.Common.Vendors.Volcengine;

/// <summary>The headers a signed Volcengine request carries.</summary>
public sealed record VolcengineSignature(string XDate, string XContentSha256, string Authorization);

/// <summary>
/// Volcengine OpenAPI V4 signing (HMAC-SHA256; vendor-protocols.md §2). The signed headers are
/// <c>host;x-content-sha256;x-date</c>: that is what Volcengine's own signer (<c>@volcengine/openapi</c>) produces,
/// as the known-answer vectors show; <c>content-type</c> is sent but not signed.
/// </summary>
public static class VolcengineSigner
{
    public const string SignedHeaders = "host;x-content-sha256;x-date";

    public static VolcengineSignature Sign(string accessKey, string secretKey, string region, string service,
        string method, string host, string path, string query, byte[] body, DateTimeOffset now)
    {
        var xDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var shortDate = xDate[..8];
        var payloadHash = Hex(SHA256.HashData(body));
        var canonicalRequest = string.Join('\n',
            method.ToUpperInvariant(),
            string.IsNullOrEmpty(path) ? "/" : path,
            CanonicalQuery(query),
            $"host:{host}\nx-content-sha256:{payloadHash}\nx-date:{xDate}\n",
            SignedHeaders,
            payloadHash);
        var scope = $"{shortDate}/{region}/{service}/request";
        var stringToSign = $"HMAC-SHA256\n{xDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var key = Hmac(Encoding.UTF8.GetBytes(secretKey), shortDate);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "request");
        var signature = Hex(Hmac(key, stringToSign));
        return new VolcengineSignature(xDate, payloadHash,
            $"HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={SignedHeaders}, Signature={signature}");
    }

    /// <summary>Keys sorted; keys and values percent-encoded (RFC 3986 unreserved characters kept).</summary>
    public static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query)) return "";
        var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p =>
            {
                var i = p.IndexOf('=');
                var k = Uri.UnescapeDataString(i < 0 ? p : p[..i]);
                var v = i < 0 ? "" : Uri.UnescapeDataString(p[(i + 1)..]);
                return (Key: Uri.EscapeDataString(k), Value: Uri.EscapeDataString(v));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
