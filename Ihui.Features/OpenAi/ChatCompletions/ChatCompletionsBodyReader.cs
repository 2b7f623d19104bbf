using System.Buffers;
using System.Text.Json;
using Ihui.Features.Common.ChatCompletions;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Ihui.Features.OpenAi.ChatCompletions;

/// <summary>
/// Reads the body the way minimal APIs' JSON binding does, with the same exceptions (so the same error answers), but
/// in one synchronous pass over the buffered bytes: the binding's stream reader and resumable deserializer cost a
/// stream's first token ~35 µs from cold caches on top of the deserialization itself.
/// </summary>
internal static class ChatCompletionsBodyReader
{
    private const string Parameter = "ChatCompletionsBody body";

    public static async ValueTask<ChatCompletionsBody> ReadAsync(HttpRequest request, JsonSerializerOptions options, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            throw new BadHttpRequestException($"Expected a supported JSON media type but got \"{request.ContentType}\".", StatusCodes.Status415UnsupportedMediaType);
        if (request.ContentType!.Contains("charset", StringComparison.OrdinalIgnoreCase)
            && MediaTypeHeaderValue.Parse(request.ContentType).Charset is { HasValue: true } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return await request.ReadFromJsonAsync<ChatCompletionsBody>(options, ct) ?? throw Missing(); // transcoded there
            }
            catch (JsonException e)
            {
                throw Malformed(e);
            }
        }

        var pipe = request.BodyReader;
        var read = await pipe.ReadAsync(ct);
        while (!read.IsCompleted)
        {
            pipe.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await pipe.ReadAsync(ct);
        }
        try
        {
            return Deserialize(read.Buffer, options);
        }
        finally
        {
            pipe.AdvanceTo(read.Buffer.End);
        }
    }

    private static ChatCompletionsBody Deserialize(ReadOnlySequence<byte> body, JsonSerializerOptions options)
    {
        if (body.IsEmpty) throw Missing();
        byte[]? rented = null;
        ReadOnlySpan<byte> bytes;
        if (body.IsSingleSegment) bytes = body.FirstSpan;
        else
        {
            var copy = (rented = ArrayPool<byte>.Shared.Rent((int)body.Length)).AsSpan(0, (int)body.Length);
            body.CopyTo(copy);
            bytes = copy;
        }
        try
        {
            if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..]; // a UTF-8 BOM, which the stream reader skips too
            return JsonSerializer.Deserialize<ChatCompletionsBody>(bytes, options) ?? throw Missing();
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static BadHttpRequestException Malformed(JsonException e) =>
        new($"Failed to read parameter \"{Parameter}\" from the request body as JSON.", StatusCodes.Status400BadRequest, e);

    private static BadHttpRequestException Missing() =>
        new($"Implicit body inferred for parameter \"{Parameter}\" but no body was provided. Did you mean to use a Service instead?");
}
