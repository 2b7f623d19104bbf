using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ihui.Features.Common.Vendors.Kling;

/// <summary>
/// Kling's bearer token (vendor-protocols.md §7): HS256 JWT, header <c>{"alg":"HS256","typ":"JWT"}</c>,
/// claims <c>iss</c> = access key, <c>exp</c> = now + 1800 s, <c>nbf</c> = now − 5 s, signed with the secret key.
/// </summary>
public static class KlingJwt
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1800);
    private const string Header = """{"alg":"HS256","typ":"JWT"}""";

    public static string Create(string accessKey, string secretKey, DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        var claims = JsonSerializer.Serialize(new Claims(accessKey, seconds + (long)Lifetime.TotalSeconds, seconds - 5));
        var unsigned = $"{Base64Url(Encoding.UTF8.GetBytes(Header))}.{Base64Url(Encoding.UTF8.GetBytes(claims))}";
        return $"{unsigned}.{Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.ASCII.GetBytes(unsigned)))}";
    }

    private sealed record Claims(
        [property: System.Text.Json.Serialization.JsonPropertyName("iss")] string Iss,
        [property: System.Text.Json.Serialization.JsonPropertyName("exp")] long Exp,
        [property: System.Text.Json.Serialization.JsonPropertyName("nbf")] long Nbf);

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
