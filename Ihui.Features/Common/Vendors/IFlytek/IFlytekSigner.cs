using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ihui.Features.Common.Vendors.IFlytek;

/// <summary>
/// iFlytek's URL signing for Spark, IAT and OCR: HMAC-SHA256 over <c>host</c>, <c>date</c> and the request line,
/// carried as <c>authorization</c>/<c>date</c>/<c>host</c> query parameters. A signed URL is a credential: never log it.
/// </summary>
public static class IFlytekSigner
{
    /// <summary>RFC 1123 GMT, the only date form the gateway accepts.</summary>
    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    public static string SignatureOrigin(string host, string date, string method, string path) =>
        $"host: {host}\ndate: {date}\n{method} {path} HTTP/1.1";

    public static string Signature(string apiSecret, string host, string date, string method, string path) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiSecret),
            Encoding.UTF8.GetBytes(SignatureOrigin(host, date, method, path))));

    public static string Authorization(string apiKey, string signature) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"api_key=\"{apiKey}\", algorithm=\"hmac-sha256\", headers=\"host date request-line\", signature=\"{signature}\""));

    /// <summary>The URL with its signature; the host signed is the URL's authority (host, plus the port when not the default).</summary>
    public static Uri Sign(Uri url, string method, string apiKey, string apiSecret, DateTimeOffset now)
    {
        var host = url.Authority;
        var date = FormatDate(now);
        var authorization = Authorization(apiKey, Signature(apiSecret, host, date, method, url.AbsolutePath));
        return new UriBuilder(url)
        {
            Query = $"authorization={Uri.EscapeDataString(authorization)}&date={Uri.EscapeDataString(date)}&host={Uri.EscapeDataString(host)}",
        }.Uri;
    }
}
