using Ihui.Features.Common.Billing;

namespace Ihui.Tests.Billing;

public sealed class TokenCounterTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    [InlineData("hello world", 2)]
    [InlineData("Hello, world! How are you today?", 9)]
    public void Counts_o200k_tokens(string? text, long expected) => Assert.Equal(expected, TokenCounter.Count(text));

    [Fact]
    public void Chinese_text_counts_fewer_tokens_than_characters()
    {
        const string text = "你好！我是通义千问，很高兴为你服务。";
        Assert.InRange(TokenCounter.Count(text), 1, text.Length - 1);
    }
}
