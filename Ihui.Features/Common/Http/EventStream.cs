using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Ihui.Features.Common.Http;

/// <summary>
/// Writes one event of a streamed response (<c>data: {json}\n\n</c> for server-sent events, <c>{json}\n</c> for NDJSON)
/// as one piece: the JSON is serialised straight into the response's pipe and flushed once, so the client gets one
/// chunk and one wake-up per event. Writing <c>"data: "</c>, the JSON and <c>"\n\n"</c> through the response stream
/// would flush each as a chunk of its own.
/// </summary>
public static class EventStream
{
    public static readonly ReadOnlyMemory<byte> Done = "data: [DONE]\n\n"u8.ToArray();

    public static ValueTask<System.IO.Pipelines.FlushResult> WriteSseAsync<T>(HttpResponse response, T payload, JsonSerializerOptions options,
        CancellationToken ct) => WriteAsync(response, "data: "u8, payload, options, "\n\n"u8, ct);

    public static ValueTask<System.IO.Pipelines.FlushResult> WriteAsync<T>(HttpResponse response, ReadOnlySpan<byte> prefix, T payload,
        JsonSerializerOptions options, ReadOnlySpan<byte> suffix, CancellationToken ct)
    {
        var pipe = response.BodyWriter;
        pipe.Write(prefix);
        using (var json = new Utf8JsonWriter(pipe, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true }))
            JsonSerializer.Serialize(json, payload, options);
        pipe.Write(suffix);
        return pipe.FlushAsync(ct);
    }

    /// <summary>Writes raw bytes (<see cref="Done"/>, say) and flushes them.</summary>
    public static ValueTask<System.IO.Pipelines.FlushResult> WriteRawAsync(HttpResponse response, ReadOnlyMemory<byte> bytes, CancellationToken ct) =>
        response.BodyWriter.WriteAsync(bytes, ct);
}
