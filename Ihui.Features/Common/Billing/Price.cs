namespace Ihui.Features.Common.Billing;

/// <summary>
/// A model's price in platform tokens before <c>TOKEN_BASE_MULTIPLIER</c>:
/// per 1K input tokens, per 1K output tokens, per call, per image and per second of media.
/// </summary>
public sealed record Price
{
    public string Model { get; init; } = "";
    public decimal Per1KIn { get; init; }
    public decimal Per1KOut { get; init; }
    public decimal PerCall { get; init; }
    public decimal PerImage { get; init; }
    public decimal PerSecond { get; init; }

    /// <summary>Tokens to charge for <paramref name="usage"/>: cost × multiplier, rounded up to a whole token.</summary>
    public long TokensFor(Usage usage, decimal multiplier)
    {
        var cost = usage.InputTokens * Per1KIn / 1000m
                   + usage.OutputTokens * Per1KOut / 1000m
                   + PerCall
                   + usage.Images * PerImage
                   + usage.Seconds * PerSecond;
        return (long)Math.Ceiling(cost * multiplier);
    }
}
