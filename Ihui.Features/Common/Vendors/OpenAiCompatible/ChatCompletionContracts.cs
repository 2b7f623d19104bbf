using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Http;

namespace Ihui.Features.Common.Vendors.OpenAiCompatible;

// OpenAI's chat-completions wire shapes, as Ark, DashScope compatible mode, Zhipu and DeepSeek speak them
// (vendor-protocols.md §1a, §3a, §4, §5). Serialized with snake_case names; nulls are omitted.

/// <summary>
/// Writes itself (<see cref="IJsonWritable"/>) as <see cref="OpenAiCompatibleClient.Json"/> would: the serializer's
/// first pass over this shape (its <c>object</c> content resolved per value) cost a stream's first token ~30 µs from
/// cold caches, the writer a few. A golden test holds the two equal.
/// </summary>
public sealed record ChatCompletionRequest : IJsonWritable
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

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        if (Model is not null) json.WriteString("model"u8, Model);
        if (Messages is not null)
        {
            json.WriteStartArray("messages"u8);
            foreach (var message in Messages)
            {
                if (message is null) json.WriteNullValue();
                else message.WriteTo(json);
            }
            json.WriteEndArray();
        }
        if (Stream is { } stream) json.WriteBoolean("stream"u8, stream);
        if (StreamOptions is { } options)
        {
            json.WriteStartObject("stream_options"u8);
            json.WriteBoolean("include_usage"u8, options.IncludeUsage);
            json.WriteEndObject();
        }
        if (MaxTokens is { } maxTokens) json.WriteNumber("max_tokens"u8, maxTokens);
        if (Temperature is { } temperature) json.WriteNumber("temperature"u8, temperature);
        if (TopP is { } topP) json.WriteNumber("top_p"u8, topP);
        if (Extra is not null)
            foreach (var (name, value) in Extra)
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }
        json.WriteEndObject();
    }
}

public sealed record StreamOptions(bool IncludeUsage);

/// <summary><see cref="Content"/> is a string or a list of <see cref="ContentPart"/> (vision).</summary>
public sealed record ChatMessage(string Role, object? Content)
{
    [JsonPropertyName("reasoning_content")] public string? ReasoningContent { get; init; }

    internal void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        if (Role is not null) json.WriteString("role"u8, Role);
        switch (Content)
        {
            case null:
                break;
            case string text:
                json.WriteString("content"u8, text);
                break;
            case JsonElement element:
                json.WritePropertyName("content"u8);
                element.WriteTo(json);
                break;
            case IReadOnlyList<ContentPart> parts:
                json.WriteStartArray("content"u8);
                foreach (var part in parts)
                {
                    if (part is null) json.WriteNullValue();
                    else part.WriteTo(json);
                }
                json.WriteEndArray();
                break;
            default:
                json.WritePropertyName("content"u8);
                JsonSerializer.Serialize(json, Content, Content.GetType(), OpenAiCompatibleClient.Json);
                break;
        }
        if (ReasoningContent is not null) json.WriteString("reasoning_content"u8, ReasoningContent);
        json.WriteEndObject();
    }
}

public sealed record ContentPart(string Type, string? Text = null, ImageUrlPart? ImageUrl = null)
{
    internal void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        if (Type is not null) json.WriteString("type"u8, Type);
        if (Text is not null) json.WriteString("text"u8, Text);
        if (ImageUrl is { } image)
        {
            json.WriteStartObject("image_url"u8);
            if (image.Url is not null) json.WriteString("url"u8, image.Url);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

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
