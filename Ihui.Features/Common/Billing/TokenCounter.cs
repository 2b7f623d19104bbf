using Microsoft.ML.Tokenizers;

namespace Ihui.Features.Common.Billing;

/// <summary>
/// Counts tokens of text a vendor did not count for us (a stream without usage, a stream cut short). The vendors'
/// own tokenizers are not available offline; o200k_base BPE is a vendor-neutral approximation, and usage counted
/// this way is always marked estimated.
/// </summary>
public static class TokenCounter
{
    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public static long Count(string? text) => string.IsNullOrEmpty(text) ? 0 : Tokenizer.Value.CountTokens(text);
}
