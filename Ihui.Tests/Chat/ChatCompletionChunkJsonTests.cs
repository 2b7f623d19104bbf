using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.ChatCompletions;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Chat;

/// <summary>The streamed chunk writes itself exactly as the serializer would, and the event writer it goes through.</summary>
public sealed class ChatCompletionChunkJsonTests
{
    private static readonly JsonSerializerOptions Json = ChatCompletionsJson.Options;

    public static TheoryData<ChatCompletionChunk> Chunks() =>
    [
        new("chatcmpl-1", "chat.completion.chunk", 1700000000, "qwen-plus", [new ChunkChoice(0, new ChunkDelta("assistant", ""), null)]),
        new("chatcmpl-1", "chat.completion.chunk", 1, "m", [new ChunkChoice(0, new ChunkDelta(Content: "你好 <b>&'\"\\ \u0001 \t\n 😀 \u2028"), null)]),
        new("chatcmpl-1", "chat.completion.chunk", 1, "m", [new ChunkChoice(0, new ChunkDelta(Content: "lone \ud800 surrogate"), null)]),
        new("chatcmpl-1", "chat.completion.chunk", 1, "m", [new ChunkChoice(0, new ChunkDelta(ReasoningContent: "think"), null)]),
        new("chatcmpl-1", "chat.completion.chunk", 1, "m", [new ChunkChoice(0, new ChunkDelta(), "stop"), new ChunkChoice(1, null!, "length")]),
        new("chatcmpl-1", "chat.completion.chunk", -5, "m", [], new UsageOut(12, 34, 46)),
        new(null!, null!, 0, null!, null!),
        new("id", "chat.completion.chunk", long.MaxValue, "m", [null!]),
    ];

    [Theory]
    [MemberData(nameof(Chunks))]
    public void A_chunk_writes_what_the_serializer_writes(ChatCompletionChunk chunk)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder }))
            chunk.WriteTo(json);
        Assert.Equal(JsonSerializer.Serialize(chunk, Json), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public async Task Events_on_one_thread_go_each_to_their_own_response_even_after_a_failed_one()
    {
        var (first, firstBody) = Response();
        var (second, secondBody) = Response();
        var chunk = new ChatCompletionChunk("a", "chat.completion.chunk", 1, "m", [new ChunkChoice(0, new ChunkDelta(Content: "x"), null)]);

        await EventStream.WriteSseAsync(first, chunk, Json, CancellationToken.None);
        Assert.Throws<InvalidOperationException>(() => EventStream.WriteSseAsync(second, new Unwritable(), Json, CancellationToken.None));
        await EventStream.WriteSseAsync(second, new { content = "y" }, Json, CancellationToken.None);
        await EventStream.WriteAsync(first, default, chunk with { Id = "b" }, Json, "\n"u8, CancellationToken.None);

        Assert.Equal("data: " + JsonSerializer.Serialize(chunk, Json) + "\n\n" + JsonSerializer.Serialize(chunk with { Id = "b" }, Json) + "\n",
            await Text(firstBody));
        // The failed event's prefix and half-written JSON went to the pipe unflushed; what follows is whole.
        Assert.EndsWith("data: {\"content\":\"y\"}\n\n", await Text(secondBody));
    }

    private sealed class Unwritable : IJsonWritable
    {
        public void WriteTo(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            throw new InvalidOperationException("half-way");
        }
    }

    private static (HttpResponse Response, Pipe Body) Response()
    {
        var pipe = new Pipe();
        var context = new DefaultHttpContext();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(new PipeBody(pipe.Writer));
        return (context.Response, pipe);
    }

    private static async Task<string> Text(Pipe pipe)
    {
        await pipe.Writer.CompleteAsync();
        var read = await pipe.Reader.ReadAsync();
        var text = Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(read.Buffer));
        pipe.Reader.AdvanceTo(read.Buffer.End);
        return text;
    }

    private sealed class PipeBody(PipeWriter writer) : Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature
    {
        public Stream Stream => writer.AsStream();
        public PipeWriter Writer => writer;
        public void DisableBuffering() { }
        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task CompleteAsync() => writer.CompleteAsync().AsTask();
    }
}
