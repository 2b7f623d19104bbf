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

/// <summary>FastAPI's error shape, used by seed 003's <c>/api/v1</c> routes: <c>{"detail":"…"}</c>, or a list for a 422.</summary>
public sealed record FastApiError([property: JsonPropertyName("detail")] object Detail);

public sealed record FastApiFieldError(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("loc")] IReadOnlyList<object> Loc,
    [property: JsonPropertyName("msg")] string Msg);

public static class Envelope
{
    public static Envelope<T> Ok<T>(T data) => new(0, data);

    /// <summary>Routes that answer in OpenAI's error shape rather than the seed envelope.</summary>
    public static bool UsesOpenAiErrors(string path) =>
        path.StartsWith("/v1/", StringComparison.Ordinal) || path == "/v1"
        || path.StartsWith("/llm/", StringComparison.Ordinal)
        || path.StartsWith("/ai/", StringComparison.Ordinal)
        || path.StartsWith("/api/v1/llm/", StringComparison.Ordinal)
        || path.StartsWith("/api/v1/ai/", StringComparison.Ordinal);

    /// <summary>
    /// Seed 003's platform under <c>/api/v1</c> (a FastAPI server): errors are <c>{"detail":…}</c>, field errors 422.
    /// Its <c>/llm</c> and <c>/ai</c> routes keep OpenAI's shape; seed 000's one route under <c>/api/v1</c> keeps its envelope.
    /// </summary>
    public static bool UsesFastApiErrors(string path) =>
        path.StartsWith("/api/v1/", StringComparison.Ordinal) && !UsesOpenAiErrors(path)
        && !path.StartsWith("/api/v1/dashscope/", StringComparison.Ordinal);
}
