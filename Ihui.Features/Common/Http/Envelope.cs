using System.Text.Json.Serialization;

namespace Ihui.Features.Common.Http;

/// <summary>Seed 000/001/002 response envelope: <c>{"code":0,"data":{…}}</c> or <c>{"code":N,"msg":"…"}</c>.</summary>
public sealed record Envelope<T>(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("data")] T Data);

public sealed record ErrorEnvelope(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg);

/// <summary>OpenAI error shape used by <c>/v1</c>, <c>/llm</c> and <c>/ai</c> routes.</summary>
public sealed record OpenAiError(
    [property: JsonPropertyName("error")] OpenAiErrorBody Error);

public sealed record OpenAiErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type);

public static class Envelope
{
    public static Envelope<T> Ok<T>(T data) => new(0, data);

    /// <summary>Routes that answer in OpenAI's error shape rather than the seed envelope.</summary>
    public static bool UsesOpenAiErrors(string path) =>
        path.StartsWith("/v1/", StringComparison.Ordinal) || path == "/v1"
        || path.StartsWith("/llm/", StringComparison.Ordinal)
        || path.StartsWith("/ai/", StringComparison.Ordinal)
        || path.StartsWith("/api/v1/llm/", StringComparison.Ordinal);
}
