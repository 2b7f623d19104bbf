using Ihui.Tests.Infrastructure;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Vendors.Kling;
using Ihui.Features.Common.Vendors.Volcengine;
using Ihui.Tests.Fakes;

namespace Ihui.Tests.MediaVendors;

/// <summary>Known answers from shared/vectors/vectors.json (made with the vendors' own libraries).</summary>
public sealed class SigningVectorTests
{
    private static JsonElement Vectors => KnownAnswers.Vectors;

    public static TheoryData<int> VolcengineIndexes() => [.. Enumerable.Range(0, Vectors.GetProperty("volcengine_v4").GetArrayLength())];
    public static TheoryData<int> KlingIndexes() => [.. Enumerable.Range(0, Vectors.GetProperty("kling_jwt").GetArrayLength())];

    [Fact]
    public void There_are_vectors_to_check() =>
        Assert.True(Vectors.GetProperty("volcengine_v4").GetArrayLength() >= 4 && Vectors.GetProperty("kling_jwt").GetArrayLength() >= 3);

    [Theory]
    [MemberData(nameof(VolcengineIndexes))]
    public void Volcengine_v4_signature_matches_the_vendor_signer(int index)
    {
        var v = Vectors.GetProperty("volcengine_v4")[index];
        string S(string name) => v.GetProperty(name).GetString()!;
        var now = DateTimeOffset.ParseExact(S("x_date"), "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);

        var signature = VolcengineSigner.Sign(S("access_key_id"), S("secret_access_key"), S("region"), S("service"), S("method"),
            S("host"), S("path"), S("query"), Encoding.UTF8.GetBytes(S("body")), now);

        Assert.Equal(S("x_date"), signature.XDate);
        Assert.Equal(S("x_content_sha256"), signature.XContentSha256);
        Assert.Equal(S("authorization"), signature.Authorization);
    }

    [Fact]
    public void Canonical_query_sorts_and_encodes() =>
        Assert.Equal("Action=CVSync2AsyncGetResult&Version=2022-08-31&a=x%20y&b=%E4%BD%A0",
            VolcengineSigner.CanonicalQuery("?b=%E4%BD%A0&Version=2022-08-31&a=x%20y&Action=CVSync2AsyncGetResult"));

    [Theory]
    [MemberData(nameof(KlingIndexes))]
    public void Kling_jwt_matches_the_vector_and_verifies_with_the_secret(int index)
    {
        var v = Vectors.GetProperty("kling_jwt")[index];
        var accessKey = v.GetProperty("access_key").GetString()!;
        var secret = v.GetProperty("secret_key").GetString()!;
        var now = v.GetProperty("now_unix_s").GetInt64();

        var token = KlingJwt.Create(accessKey, secret, DateTimeOffset.FromUnixTimeSeconds(now));

        Assert.Equal(v.GetProperty("token").GetString(), token);
        var parts = token.Split('.');
        var expected = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(expected, FakeKling.FromBase64Url(parts[2]));
        using var header = JsonDocument.Parse(FakeKling.FromBase64Url(parts[0]));
        Assert.Equal(("HS256", "JWT"), (header.RootElement.GetProperty("alg").GetString(), header.RootElement.GetProperty("typ").GetString()));
        using var claims = JsonDocument.Parse(FakeKling.FromBase64Url(parts[1]));
        var exp = claims.RootElement.GetProperty("exp").GetInt64();
        var nbf = claims.RootElement.GetProperty("nbf").GetInt64();
        Assert.Equal(accessKey, claims.RootElement.GetProperty("iss").GetString());
        Assert.Equal((now + 1800, now - 5), (exp, nbf));
        var validAt = v.GetProperty("valid_at_unix_s").GetInt64();
        var expiredAt = v.GetProperty("expired_at_unix_s").GetInt64();
        Assert.True(nbf <= validAt && validAt < exp);
        Assert.True(expiredAt >= exp);
    }
}
