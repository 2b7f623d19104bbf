using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Ihui.Features.Common.Http;

/// <summary>
/// A payload that writes its own JSON. <see cref="EventStream"/> calls it instead of the serializer: a streamed
/// chunk is written hundreds of times a second per stream, and the serializer's write state for a nested object is an
/// array allocated per call. Its output must equal the serializer's with the options the stream is written with (a
/// golden test says so for each implementation).
/// </summary>
public interface IJsonWritable
{
    void WriteTo(Utf8JsonWriter json);
}

/// <summary>
/// Writes one event of a streamed response (<c>data: {json}\n\n</c> for server-sent events, <c>{json}\n</c> for NDJSON)
/// as one piece: the JSON is serialised straight into the response's pipe and flushed once, so the client gets one
/// chunk and one wake-up per event. Writing <c>"data: "</c>, the JSON and <c>"\n\n"</c> through the response stream
/// would flush each as a chunk of its own.
/// </summary>
public static class EventStream
{
    public static readonly ReadOnlyMemory<byte> Done = "data: [DONE]\n\n"u8.ToArray();

    // One JSON writer per thread, pointed at the response for the length of one event (nothing is awaited meanwhile).
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    [ThreadStatic] private static JavaScriptEncoder? t_encoder;

    public static ValueTask<System.IO.Pipelines.FlushResult> WriteSseAsync<T>(HttpResponse response, T payload, JsonSerializerOptions options,
        CancellationToken ct) => WriteAsync(response, "data: "u8, payload, options, "\n\n"u8, ct);

    public static ValueTask<System.IO.Pipelines.FlushResult> WriteAsync<T>(HttpResponse response, ReadOnlySpan<byte> prefix, T payload,
        JsonSerializerOptions options, ReadOnlySpan<byte> suffix, CancellationToken ct)
    {
        var pipe = response.BodyWriter;
        pipe.Write(prefix);
        var json = Writer(pipe, options.Encoder);
        try
        {
            if (payload is IJsonWritable own) own.WriteTo(json);
            else JsonSerializer.Serialize(json, payload, options);
            json.Flush();
        }
        finally
        {
            json.Reset(Nowhere.Instance);
        }
        pipe.Write(suffix);
        return pipe.FlushAsync(ct);
    }

    /// <summary>Writes raw bytes (<see cref="Done"/>, say) and flushes them.</summary>
    public static ValueTask<System.IO.Pipelines.FlushResult> WriteRawAsync(HttpResponse response, ReadOnlyMemory<byte> bytes, CancellationToken ct) =>
        response.BodyWriter.WriteAsync(bytes, ct);

    private static Utf8JsonWriter Writer(IBufferWriter<byte> output, JavaScriptEncoder? encoder)
    {
        if (t_writer is null || !ReferenceEquals(t_encoder, encoder))
        {
            t_writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = encoder, SkipValidation = true });
            t_encoder = encoder;
        }
        else t_writer.Reset(output);
        return t_writer;
    }

    /// <summary>Where an idle writer points, so that it holds no response.</summary>
    private sealed class Nowhere : IBufferWriter<byte>
    {
        public static readonly Nowhere Instance = new();
        public void Advance(int count) => throw new InvalidOperationException("an idle event writer was written to");
        public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("an idle event writer was written to");
        public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("an idle event writer was written to");
    }
}
