namespace Ihui.Features.Common.Vendors.Gemini;

// Generative Language API shapes (vendor-protocols.md §6), camelCase on the wire.

public sealed record GenerateContentRequest
{
    public required IReadOnlyList<GeminiContent> Contents { get; init; }
    public GeminiContent? SystemInstruction { get; init; }
    public GenerationConfig? GenerationConfig { get; init; }
}

public sealed record GeminiContent(string? Role, IReadOnlyList<GeminiPart> Parts);

public sealed record GeminiPart
{
    public string? Text { get; init; }
    public bool? Thought { get; init; }
}

public sealed record GenerationConfig
{
    public double? Temperature { get; init; }
    public int? MaxOutputTokens { get; init; }
    public double? TopP { get; init; }
    public int? TopK { get; init; }
}

public sealed record GenerateContentResponse
{
    public IReadOnlyList<GeminiCandidate>? Candidates { get; init; }
    public GeminiUsageMetadata? UsageMetadata { get; init; }
    public GeminiPromptFeedback? PromptFeedback { get; init; }
    public string? ModelVersion { get; init; }

    /// <summary>The answer's text, without thought parts.</summary>
    public string Text => string.Concat(
        Candidates?.FirstOrDefault()?.Content?.Parts?.Where(p => p.Thought != true).Select(p => p.Text) ?? []);
}

public sealed record GeminiCandidate
{
    public GeminiContent? Content { get; init; }
    public string? FinishReason { get; init; }
}

public sealed record GeminiUsageMetadata
{
    public long PromptTokenCount { get; init; }
    public long CandidatesTokenCount { get; init; }
    public long ThoughtsTokenCount { get; init; }
    public long TotalTokenCount { get; init; }
}

public sealed record GeminiPromptFeedback
{
    public string? BlockReason { get; init; }
}
