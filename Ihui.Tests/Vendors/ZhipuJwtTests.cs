using Ihui.Tests.Infrastructure;
using System.Text.Json;
using Ihui.Features.Common.Vendors.Zhipu;
using Ihui.Tests.Fakes;

namespace Ihui.Tests.Vendors;

public sealed class ZhipuJwtTests
{
    private sealed class ManualClock(long nowMs) : TimeProvider
    {
        public long NowMs { get; set; } = nowMs;
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
    }

    public static TheoryData<string, long, string> Vectors()
    {
        var data = new TheoryData<string, long, string>();
        foreach (var v in KnownAnswers.Vectors.GetProperty("zhipu_jwt").EnumerateArray())
            data.Add(v.GetProperty("api_key").GetString()!, v.GetProperty("now_unix_ms").GetInt64(), v.GetProperty("token").GetString()!);
        return data;
    }


    [Theory]
    [MemberData(nameof(Vectors))]
    public void Tokens_match_the_known_answer_vectors(string apiKey, long nowMs, string expected)
    {
        var jwt = new ZhipuJwt(new ManualClock(nowMs));
        Assert.Equal(expected, jwt.TokenFor(apiKey));
        Assert.Null(ZhipuJwtVerifier.For(apiKey, () => nowMs + 1_000)("Bearer " + expected));
        Assert.Equal("token expired", ZhipuJwtVerifier.For(apiKey, () => nowMs + ZhipuJwt.TtlMs)("Bearer " + expected));
    }

    [Fact]
    public void A_token_is_reused_until_close_to_expiry_then_renewed()
    {
        const string key = "f988a7e2fa896d55b5ea6f51.7a154a191c21299e";
        var clock = new ManualClock(1_735_689_600_000);
        var jwt = new ZhipuJwt(clock);
        var first = jwt.TokenFor(key);

        clock.NowMs += 30 * 60_000;
        Assert.Same(first, jwt.TokenFor(key));
        clock.NowMs += 26 * 60_000; // 4 minutes left: renew
        var renewed = jwt.TokenFor(key);
        Assert.NotEqual(first, renewed);
        Assert.Null(ZhipuJwtVerifier.For(key, () => clock.NowMs + 50 * 60_000)("Bearer " + renewed));
    }

    [Fact]
    public void A_signature_made_with_another_secret_is_rejected_by_the_fake()
    {
        var token = ZhipuJwt.Create("f988a7e2fa896d55b5ea6f51", "wrong-secret", 1_735_689_600_000, ZhipuJwt.TtlMs);
        Assert.Equal("signature mismatch",
            ZhipuJwtVerifier.For("f988a7e2fa896d55b5ea6f51.7a154a191c21299e", () => 1_735_689_600_000)("Bearer " + token));
    }

    [Fact]
    public void A_key_without_a_secret_part_is_sent_as_is()
    {
        Assert.Equal("plainkey", new ZhipuJwt(TimeProvider.System).TokenFor("plainkey"));
    }
}
