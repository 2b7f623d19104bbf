using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Vendors.OpenAiCompatible;

namespace Ihui.Features.Common.Vendors.Zhipu;

/// <summary>
/// Zhipu's JWT auth (vendor-protocols.md §4, auth B): an <c>id.secret</c> key becomes an HS256 token with
/// header <c>sign_type: SIGN</c> and millisecond <c>exp</c>/<c>timestamp</c> claims. Tokens are cached until
/// shortly before they expire. A key without a dot is sent as-is (auth A).
/// </summary>
public sealed class ZhipuJwt(TimeProvider clock) : IBearerTokenProvider
{
    public const long TtlMs = 3_600_000;
    private const long RefreshMarginMs = 300_000;
    private const string Header = """{"alg":"HS256","typ":"JWT","sign_type":"SIGN"}""";

    private sealed record Cached(string Key, string Token, long ExpiresMs);

    private Cached? _cached;

    public string VendorName => KnownVendors.Zhipu.Name;

    public string TokenFor(VendorEndpoint vendor) => TokenFor(vendor.RequireKey());

    public string TokenFor(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == key.Length - 1) return key;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && cached.Key == key && cached.ExpiresMs - now > RefreshMarginMs) return cached.Token;
        var token = Create(key[..dot], key[(dot + 1)..], now, TtlMs);
        Volatile.Write(ref _cached, new Cached(key, token, now + TtlMs));
        return token;
    }

    public static string Create(string id, string secret, long nowMs, long ttlMs)
    {
        var payload = $$"""{"api_key":{{JsonSerializer.Serialize(id)}},"exp":{{nowMs + ttlMs}},"timestamp":{{nowMs}}}""";
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Header)) + "." +
                           Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
