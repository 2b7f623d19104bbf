using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ihui.Features.Common.Vendors.OpenAiCompatible;

// OpenAI's chat-completions wire shapes, as Ark, DashScope compatible mode, Zhipu and DeepSeek speak them
// (vendor-protocols.md §1a, §3a, §4, §5). Serialized with snake_case names; nulls are omitted.

public sealed record ChatCompletionRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<ChatMessage> Messages { get; init; }
    public bool? Stream { get; init; }
    public StreamOptions? StreamOptions { get; init; }
    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }

    /// <summary>Vendor-specific fields passed through as given (e.g. <c>enable_thinking</c>, <c>thinking</c>).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record StreamOptions(bool IncludeUsage);

/// <summary><see cref="Content"/> is a string or a list of <see cref="ContentPart"/> (vision).</summary>
public sealed record ChatMessage(string Role, object? Content)
{
    [JsonPropertyName("reasoning_content")] public string? ReasoningContent { get; init; }
}

public sealed record ContentPart(string Type, string? Text = null, ImageUrlPart? ImageUrl = null)
{
    public static ContentPart FromText(string text) => new("text", Text: text);
    public static ContentPart FromImage(string url) => new("image_url", ImageUrl: new ImageUrlPart(url));
}

public sealed record ImageUrlPart(string Url);

public sealed record ChatCompletion
{
    public string? Id { get; init; }
    public string? Model { get; init; }
    public long Created { get; init; }
    /// <summary>Never null: a vendor's <c>"choices": null</c> reads as no choices.</summary>
    public IReadOnlyList<ChatChoice> Choices { get; init => field = value ?? []; } = [];
    public ChatUsage? Usage { get; init; }
}

public sealed record ChatChoice
{
    public int Index { get; init; }
    public ChatResponseMessage? Message { get; init; }
    public ChatResponseMessage? Delta { get; init; }
    public string? FinishReason { get; init; }
}

public sealed record ChatResponseMessage
{
    public string? Role { get; init; }
    public string? Content { get; init; }
    public string? ReasoningContent { get; init; }
}

public sealed record ChatUsage
{
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long TotalTokens { get; init; }

    /// <summary>Seconds of audio, where the vendor bills audio input by time (DashScope's qwen3-asr-flash).</summary>
    public decimal? Seconds { get; init; }
}

// OpenAI's images API (POST /images/generations), as 302.AI speaks it.

public sealed record ImageGenerationRequest
{
    public required string Model { get; init; }
    public required string Prompt { get; init; }
    public int? N { get; init; }
    /// <summary>OpenAI's form, <c>1024x1024</c>.</summary>
    public string? Size { get; init; }
}

public sealed record ImageGeneration
{
    public long Created { get; init; }
    public IReadOnlyList<GeneratedImage?>? Data { get; init; }
}

public sealed record GeneratedImage
{
    public string? Url { get; init; }
    [JsonPropertyName("b64_json")] public string? B64Json { get; init; }
    public string? RevisedPrompt { get; init; }
}
