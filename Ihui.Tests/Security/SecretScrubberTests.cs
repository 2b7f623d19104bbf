using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Security;
using Microsoft.Extensions.Configuration;

namespace Ihui.Tests.Security;

public sealed class SecretScrubberTests
{
    [Theory]
    [InlineData("Incorrect API key provided for key Bearer sk-abcdef0123456789abcdef", "sk-abcdef0123456789abcdef")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhayJ9.c2lnbmF0dXJl expired", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("Authorization: HMAC-SHA256 Credential=AKLTabc123456789/20240101/cn-north-1/cv/request, SignedHeaders=host, Signature=0a1b2c3d4e5f6a7b", "AKLTabc123456789")]
    [InlineData("Authorization: HMAC-SHA256 Credential=AKLTabc123456789/20240101/cn-north-1/cv/request, SignedHeaders=host, Signature=0a1b2c3d4e5f6a7b", "0a1b2c3d4e5f6a7b")]
    [InlineData("API key not valid: AIzaSyD-0123456789abcdefghijklmnop", "AIzaSyD-0123456789abcdefghijklmnop")]
    [InlineData("{\"x-goog-api-key\": \"k1-test-value-42\"}", "k1-test-value-42")]
    [InlineData("wss://spark.example/v3.5/chat?authorization=YXBpX2tleT0iYWJjIg%3D%3D&date=x", "YXBpX2tleT0iYWJjIg")]
    [InlineData("api_key=abcd1234efgh5678&x=1", "abcd1234efgh5678")]
    [InlineData("Basic dXNlcjpwYXNzd29yZDEyMw==", "dXNlcjpwYXNzd29yZDEyMw")]
    public void Credential_shaped_text_is_masked(string text, string secret)
    {
        var scrubbed = SecretScrubber.Scrub(text);
        Assert.DoesNotContain(secret, scrubbed);
        Assert.Contains(SecretScrubber.Mask, scrubbed);
    }

    [Theory]
    [InlineData("password: must be at least 8 characters")]
    [InlineData("max_tokens: must be from 1 to 65536; tokens: must not be negative")]
    [InlineData("model 'qwen-plus' is not available")]
    [InlineData("insufficient token balance: this call needs up to 2048 tokens")]
    [InlineData("the bearer credential expired")]
    [InlineData("missing API key: send Authorization: Bearer sk-…")]
    [InlineData("user_uuid 3f0c9d2e-41aa-4c55-9a0e-0d9c1e2b7a11 is unknown")]
    [InlineData("dashscope rejected the request: InvalidParameter: image format unsupported")]
    public void Ordinary_messages_are_left_alone(string text) => Assert.Equal(text, SecretScrubber.Scrub(text));

    [Fact]
    public void Configured_secrets_are_masked_in_any_vendor_message_including_their_encoded_forms()
    {
        SecretScrubber.RegisterConfigured(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DOUBAO_API_KEY"] = "3b1f0e6c-9a7d-4e21-b2c4-5d6e7f8a9b0c",
            ["GLM_API_KEY"] = "zhipu0id0000001.zhipusecret01234",
            ["XFYUN_APP_ID"] = "5f0a1b2c", // not a secret: shown in the admin console
            ["DATABASE_URL"] = "mysql://ihui:db-pass-0123@db:3306/ihui",
        }).Build());
        var e = ApiException.VendorError("doubao", "bad key 3b1f0e6c-9a7d-4e21-b2c4-5d6e7f8a9b0c for zhipusecret01234 (" +
                                                   Uri.EscapeDataString("3b1f0e6c-9a7d-4e21-b2c4-5d6e7f8a9b0c") + ") db-pass-0123 app 5f0a1b2c");
        Assert.DoesNotContain("3b1f0e6c-9a7d", e.Message);
        Assert.DoesNotContain("zhipusecret01234", e.Message);
        Assert.DoesNotContain("db-pass-0123", e.Message);
        Assert.Contains("app 5f0a1b2c", e.Message);
    }
}
