using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Common.ChatCompletions;

/// <summary>
/// OpenAI's chat-completions body (seed 004), plus seed 003's <c>model_id</c> as another name for <c>model</c>.
/// Fields OpenAI defines that Ihui does not forward (tools, logprobs …) are ignored.
/// </summary>
public sealed record ChatCompletionsBody
{
    public string? Model { get; init; }
    public string? ModelId { get; init; }
    public IReadOnlyList<ChatMessageIn>? Messages { get; init; }
    public bool? Stream { get; init; }
    public StreamOptionsIn? StreamOptions { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public int? MaxTokens { get; init; }
    public int? MaxCompletionTokens { get; init; }
    public JsonElement? Stop { get; init; }
    public double? PresencePenalty { get; init; }
    public double? FrequencyPenalty { get; init; }
    public long? Seed { get; init; }
    public JsonElement? ResponseFormat { get; init; }
    public int? N { get; init; }

    /// <summary>Cap on the answer the client asked for (the newer name wins), or null.</summary>
    public int? RequestedMaxTokens => MaxCompletionTokens ?? MaxTokens;
    public bool IncludeUsage => StreamOptions?.IncludeUsage == true;
}

public sealed record StreamOptionsIn(bool? IncludeUsage);

/// <summary><see cref="Content"/> is a string or an array of parts (<c>text</c>, <c>image_url</c>), as OpenAI accepts.</summary>
public sealed record ChatMessageIn(string? Role, JsonElement? Content)
{
    public string? Name { get; init; }
}

/// <summary>What both the plain and the streamed message share: the body, the key, and the billing estimate.</summary>
public interface IChatCompletionsMessage : ILoggedCall, IAuthenticatedRequest, IBillable
{
    /// <summary>Estimated input tokens per image part (the vendor counts the real figure).</summary>
    const int TokensPerImage = 1280;

    ChatCompletionsBody Body { get; }
    string? ApiKey { get; }
    int DefaultMaxOutputTokens { get; }

    Credential IAuthenticatedRequest.Credential => new(CredentialKind.ApiKey, ApiKey);
    string IBillable.PriceModel => Body.Model ?? "";

    Usage IBillable.EstimateUsage()
    {
        long input = 0;
        foreach (var message in Body.Messages ?? [])
        {
            if (message.Content is not { } content) continue;
            if (content.ValueKind == JsonValueKind.String) input += Usage.TokensForText(content.GetString());
            else if (content.ValueKind == JsonValueKind.Array)
                foreach (var part in content.EnumerateArray())
                    input += part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                        ? Usage.TokensForText(text.GetString())
                        : TokensPerImage;
        }
        return new Usage(input, Body.RequestedMaxTokens ?? DefaultMaxOutputTokens);
    }
}

public sealed record ChatCompletionsResult(ChatCompletionResponse Response, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}

/// <summary>
/// One step of a streamed completion: an OpenAI chunk to send (<see cref="Wire"/>), the vendor's usage, or the
/// billing behaviour's closing receipt (never sent as an OpenAI chunk; it carries the usage for the usage chunk).
/// </summary>
public sealed record ChatCompletionsChunk : IBilledChunk<ChatCompletionsChunk>
{
    public ChatCompletionChunk? Wire { get; init; }
    public Usage? Usage { get; init; }
    public string? DeliveredText { get; init; }
    public Receipt? Receipt { get; init; }
    public Usage BilledUsage { get; init; }

    public static ChatCompletionsChunk Settled(Receipt receipt, Usage usage) => new() { Receipt = receipt, BilledUsage = usage };
}

// OpenAI's response shapes.

public sealed record ChatCompletionResponse(string Id, string Object, long Created, string Model,
    IReadOnlyList<CompletionChoice> Choices, UsageOut Usage);

public sealed record CompletionChoice(int Index, AssistantMessage Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason);

public sealed record AssistantMessage(string Role, string Content, string? ReasoningContent = null);

/// <summary>Writes itself (<see cref="IJsonWritable"/>) as <see cref="ChatCompletionsJson.Options"/> would.</summary>
public sealed record ChatCompletionChunk(string Id, string Object, long Created, string Model,
    IReadOnlyList<ChunkChoice> Choices, UsageOut? Usage = null) : IJsonWritable
{
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        WriteUnlessNull(json, "id"u8, Id);
        WriteUnlessNull(json, "object"u8, Object);
        json.WriteNumber("created"u8, Created);
        WriteUnlessNull(json, "model"u8, Model);
        if (Choices is not null)
        {
            json.WriteStartArray("choices"u8);
            for (var i = 0; i < Choices.Count; i++)
            {
                if (Choices[i] is not { } choice)
                {
                    json.WriteNullValue();
                    continue;
                }
                json.WriteStartObject();
                json.WriteNumber("index"u8, choice.Index);
                if (choice.Delta is { } delta)
                {
                    json.WriteStartObject("delta"u8);
                    WriteUnlessNull(json, "role"u8, delta.Role);
                    WriteUnlessNull(json, "content"u8, delta.Content);
                    WriteUnlessNull(json, "reasoning_content"u8, delta.ReasoningContent);
                    json.WriteEndObject();
                }
                json.WriteString("finish_reason"u8, choice.FinishReason);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (Usage is { } usage)
        {
            json.WriteStartObject("usage"u8);
            json.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
            json.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
            json.WriteNumber("total_tokens"u8, usage.TotalTokens);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteUnlessNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }
}

public sealed record ChunkChoice(int Index, ChunkDelta Delta,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason);

public sealed record ChunkDelta(string? Role = null, string? Content = null, string? ReasoningContent = null);

public sealed record UsageOut(long PromptTokens, long CompletionTokens, long TotalTokens)
{
    public static UsageOut From(Usage u) => new(u.InputTokens, u.OutputTokens, u.InputTokens + u.OutputTokens);
}
