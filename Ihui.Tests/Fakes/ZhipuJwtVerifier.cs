using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ihui.Tests.Fakes;

/// <summary>Checks an <c>Authorization</c> header the way Zhipu does for its JWT form: HS256 signature, claims, expiry (ms).</summary>
public static class ZhipuJwtVerifier
{
    public static Func<string, string?> For(string apiKey, Func<long>? nowMs = null) => header =>
    {
        var (id, secret) = (apiKey[..apiKey.IndexOf('.')], apiKey[(apiKey.IndexOf('.') + 1)..]);
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return "missing bearer token";
        var parts = header["Bearer ".Length..].Split('.');
        if (parts.Length != 3) return "not a JWT";
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts[0] + "." + parts[1]));
        byte[] signature;
        try { signature = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]); }
        catch (FormatException) { return "bad signature encoding"; }
        if (!CryptographicOperations.FixedTimeEquals(expected, signature)) return "signature mismatch";
        using var head = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        if (head.RootElement.GetProperty("alg").GetString() != "HS256" || head.RootElement.GetProperty("sign_type").GetString() != "SIGN")
            return "bad header";
        using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        var now = nowMs?.Invoke() ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (claims.RootElement.GetProperty("api_key").GetString() != id) return "unknown api_key";
        if (claims.RootElement.GetProperty("exp").GetInt64() <= now) return "token expired";
        if (claims.RootElement.GetProperty("timestamp").GetInt64() > now + 60_000) return "timestamp in the future";
        return null;
    };
}
