namespace Ihui.Features.Common.Billing;

/// <summary>What a vendor call consumed: tokens in/out, images and seconds of media.</summary>
public readonly record struct Usage(long InputTokens, long OutputTokens, long Images = 0, decimal Seconds = 0, bool Estimated = false)
{
    public static readonly Usage None = default;

    /// <summary>Rough token count for text before the vendor has counted it: one per character, never less.</summary>
    public static long TokensForText(string? text) => string.IsNullOrEmpty(text) ? 0 : text.Length;
}

/// <summary>What a settled call cost and the balance it left.</summary>
public sealed record Receipt(long Reserved, long Charged, long Balance);
