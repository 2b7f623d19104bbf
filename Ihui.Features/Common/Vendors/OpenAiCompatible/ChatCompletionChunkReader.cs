using System.Text;
using System.Text.Json;

namespace Ihui.Features.Common.Vendors.OpenAiCompatible;

/// <summary>
/// Reads one streamed chat-completion chunk without the serializer's per-call state: its read stack allocates an
/// array of frames for every nested document, most of what a stream allocated per chunk. Only the canonical shape is
/// read here (the exact snake_case names, the JSON types OpenAI documents, no escaped names); anything else (another
/// letter case, a number sent as a string, a null list, malformed JSON) goes to <see cref="JsonSerializer"/>, so the
/// result and the errors are always the serializer's.
/// </summary>
public static class ChatCompletionChunkReader
{
    public static ChatCompletion? Read(ReadOnlySpan<byte> json, JsonSerializerOptions options) =>
        TryRead(json, out var chunk) ? chunk : JsonSerializer.Deserialize<ChatCompletion>(json, options);

    /// <summary>The chunk, when <paramref name="json"/> has the canonical shape; false leaves it to the serializer.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out ChatCompletion? chunk)
    {
        chunk = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            string? id = null, model = null;
            long created = 0;
            IReadOnlyList<ChatChoice> choices = [];
            ChatUsage? usage = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped) return false;
                if (reader.ValueTextEquals("choices"u8))
                {
                    if (!ReadChoices(ref reader, out var read)) return false;
                    choices = read;
                }
                else if (reader.ValueTextEquals("id"u8)) { if (!ReadString(ref reader, out id)) return false; }
                else if (reader.ValueTextEquals("model"u8)) { if (!ReadString(ref reader, out model)) return false; }
                else if (reader.ValueTextEquals("created"u8)) { if (!ReadInt64(ref reader, out created)) return false; }
                else if (reader.ValueTextEquals("usage"u8)) { if (!ReadUsage(ref reader, out usage)) return false; }
                else if (!SkipOther(ref reader, ChunkNames)) return false;
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return false;
            chunk = new ChatCompletion { Id = id, Model = model, Created = created, Choices = choices, Usage = usage };
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static readonly byte[][] ChunkNames = ["id"u8.ToArray(), "model"u8.ToArray(), "created"u8.ToArray(), "choices"u8.ToArray(), "usage"u8.ToArray()];
    private static readonly byte[][] ChoiceNames = ["index"u8.ToArray(), "delta"u8.ToArray(), "message"u8.ToArray(), "finish_reason"u8.ToArray()];
    private static readonly byte[][] MessageNames = ["role"u8.ToArray(), "content"u8.ToArray(), "reasoning_content"u8.ToArray()];
    private static readonly byte[][] UsageNames = ["prompt_tokens"u8.ToArray(), "completion_tokens"u8.ToArray(), "total_tokens"u8.ToArray(), "seconds"u8.ToArray()];

    private static bool ReadChoices(ref Utf8JsonReader reader, out IReadOnlyList<ChatChoice> choices)
    {
        choices = [];
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
        ChatChoice? first = null;
        List<ChatChoice>? more = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!ReadChoice(ref reader, out var choice)) return false;
            if (first is null) first = choice;
            else (more ??= [first]).Add(choice);
        }
        choices = more ?? (first is null ? [] : [first]);
        return true;
    }

    private static bool ReadChoice(ref Utf8JsonReader reader, out ChatChoice choice)
    {
        choice = null!;
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        var index = 0;
        ChatResponseMessage? delta = null, message = null;
        string? finish = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped) return false;
            if (reader.ValueTextEquals("delta"u8)) { if (!ReadMessage(ref reader, out delta)) return false; }
            else if (reader.ValueTextEquals("index"u8)) { if (!ReadInt32(ref reader, out index)) return false; }
            else if (reader.ValueTextEquals("finish_reason"u8)) { if (!ReadString(ref reader, out finish)) return false; }
            else if (reader.ValueTextEquals("message"u8)) { if (!ReadMessage(ref reader, out message)) return false; }
            else if (!SkipOther(ref reader, ChoiceNames)) return false;
        }
        choice = new ChatChoice { Index = index, Delta = delta, Message = message, FinishReason = finish };
        return true;
    }

    private static bool ReadMessage(ref Utf8JsonReader reader, out ChatResponseMessage? message)
    {
        message = null;
        if (!reader.Read()) return false;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        string? role = null, content = null, reasoning = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped) return false;
            if (reader.ValueTextEquals("content"u8)) { if (!ReadString(ref reader, out content)) return false; }
            else if (reader.ValueTextEquals("role"u8)) { if (!ReadString(ref reader, out role)) return false; }
            else if (reader.ValueTextEquals("reasoning_content"u8)) { if (!ReadString(ref reader, out reasoning)) return false; }
            else if (!SkipOther(ref reader, MessageNames)) return false;
        }
        message = new ChatResponseMessage { Role = role, Content = content, ReasoningContent = reasoning };
        return true;
    }

    private static bool ReadUsage(ref Utf8JsonReader reader, out ChatUsage? usage)
    {
        usage = null;
        if (!reader.Read()) return false;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        long prompt = 0, completion = 0, total = 0;
        decimal? seconds = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped) return false;
            if (reader.ValueTextEquals("prompt_tokens"u8)) { if (!ReadInt64(ref reader, out prompt)) return false; }
            else if (reader.ValueTextEquals("completion_tokens"u8)) { if (!ReadInt64(ref reader, out completion)) return false; }
            else if (reader.ValueTextEquals("total_tokens"u8)) { if (!ReadInt64(ref reader, out total)) return false; }
            else if (reader.ValueTextEquals("seconds"u8))
            {
                if (!reader.Read()) return false;
                if (reader.TokenType == JsonTokenType.Null) seconds = null;
                else if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var s)) seconds = s;
                else return false;
            }
            else if (!SkipOther(ref reader, UsageNames)) return false;
        }
        usage = new ChatUsage { PromptTokens = prompt, CompletionTokens = completion, TotalTokens = total, Seconds = seconds };
        return true;
    }

    private static bool ReadString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (!reader.Read()) return false;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String) return false;
        value = reader.GetString();
        return true;
    }

    private static bool ReadInt64(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
    }

    private static bool ReadInt32(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }

    /// <summary>
    /// Skips a property this reader does not map, unless the serializer might map it: its name in another case, or with
    /// letters outside ASCII (the serializer's case-insensitive match folds some of those to ASCII ones).
    /// </summary>
    private static bool SkipOther(ref Utf8JsonReader reader, byte[][] known)
    {
        if (!Ascii.IsValid(reader.ValueSpan)) return false;
        foreach (var name in known)
            if (Ascii.EqualsIgnoreCase(reader.ValueSpan, name)) return false;
        return reader.Read() && reader.TrySkip();
    }
}
