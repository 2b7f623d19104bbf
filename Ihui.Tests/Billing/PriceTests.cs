using Ihui.Features.Common.Billing;

namespace Ihui.Tests.Billing;

public sealed class PriceTests
{
    [Theory]
    [InlineData(1000, 1000, 0, 0, 0, 30, 12, 0, 0, 2.0, 84)]
    [InlineData(0, 0, 5, 0, 0, 999, 999, 0, 0, 2.0, 10)]
    [InlineData(0, 0, 0, 200, 0, 0, 0, 3, 0, 1.5, 900)]
    [InlineData(0, 0, 0, 0, 100, 0, 0, 0, 5.5, 2.0, 1100)]
    [InlineData(1, 1, 0, 0, 0, 1, 0, 0, 0, 2.0, 1)] // 0.002 rounds up to one whole token
    public void Tokens_are_cost_times_multiplier_rounded_up(
        decimal in1K, decimal out1K, decimal call, decimal image, decimal second,
        long inTokens, long outTokens, long images, double seconds, double multiplier, long expected)
    {
        var price = new Price { Model = "m", Per1KIn = in1K, Per1KOut = out1K, PerCall = call, PerImage = image, PerSecond = second };
        Assert.Equal(expected, price.TokensFor(new Usage(inTokens, outTokens, images, (decimal)seconds), (decimal)multiplier));
    }
}
