using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ihui.Features.Common.ChatCompletions;

/// <summary>How OpenAI's chat-completion shapes are written: snake_case, nulls left out, text unescaped.</summary>
public static class ChatCompletionsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
