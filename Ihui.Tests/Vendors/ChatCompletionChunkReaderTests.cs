using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Vendors.OpenAiCompatible;

namespace Ihui.Tests.Vendors;

/// <summary>The streamed chunk reader's fast path gives what the serializer gives, and leaves it everything else.</summary>
public sealed class ChatCompletionChunkReaderTests
{
    private static readonly JsonSerializerOptions Json = OpenAiCompatibleClient.Json;

    // What Ark, DashScope, Zhipu and DeepSeek send (vendor-protocols.md §1a, §3a, §4, §5), and the shapes around them.
    public static TheoryData<string> Canonical() =>
    [
        """{"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"qwen-plus","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""",
        """{"id":"c1","choices":[{"index":0,"delta":{"content":"你好 \"quoted\" \\ \u00e9 😀"},"finish_reason":null,"logprobs":null}],"created":1,"model":"m","system_fingerprint":"fp"}""",
        """{"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"think","content":null},"finish_reason":null}],"model":"deepseek-reasoner"}""",
        """{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46,"prompt_tokens_details":{"cached_tokens":0}}}""",
        """{"id":"c1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}}""",
        """{"id":"c1","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":0,"total_tokens":1,"seconds":3.25}}""",
        """{"id":"c1","choices":[{"index":1,"message":{"role":"assistant","content":"x"},"finish_reason":"length"},{"index":2,"delta":null}]}""",
        """{"choices":[{"index":0,"delta":{"content":"a","tool_calls":[{"id":"t","function":{"arguments":"{\"k\":[1,2,{}]}"}}]}}],"usage":null}""",
        """{"id":null,"model":null,"choices":[{"index":0,"delta":{"role":null,"content":"a"},"finish_reason":null}],"extra":{"deep":[[[{"a":1}]]]}}""",
        """  {"id":"c1","choices":[{"index":0,"delta":{"content":"\ud83d\ude00 \t\n"}}]}  """,
        "{}",
    ];

    // Shapes the serializer reads differently from a literal reading, or rejects: all left to it.
    public static TheoryData<string> LeftToTheSerializer() =>
    [
        """{"ID":"c1","choices":[]}""",
        """{"id":"c1","Choices":[{"index":0,"delta":{"content":"a"}}]}""",
        """{"choices":[{"Index":3,"delta":{"Content":"a"}}]}""",
        """{"choices":[{"index":0,"delta":{"content":"a"},"FINISH_REASON":"stop"}]}""",
        """{"usage":{"Prompt_Tokens":5,"completion_tokens":1,"total_tokens":6}}""",
        """{"created":"1700000000","choices":[]}""",
        """{"choices":[{"index":"2","delta":{"content":"a"}}]}""",
        """{"usage":{"prompt_tokens":"5","completion_tokens":1,"total_tokens":6}}""",
        """{"\u0069d":"escaped name","choices":[]}""",
        """{"choices":null}""",
        """{"choices":[null]}""",
        """{"ıd":"dotless i","choices":[]}""",
        "null",
    ];

    public static TheoryData<string> Malformed() =>
    [
        """{"id":"c1","choices":[{"index":0,"delta":{"content":"a"}}]""",
        """{"id":"c1","choices":[{"index":0,"delta":{"content":5}}]}""",
        """{"id":"c1","choices":[{"index":1.5,"delta":{}}]}""",
        """{"id":"c1","choices":{"index":0}}""",
        """{"id":"c1","created":null}""",
        """{"id":"c1","usage":{"prompt_tokens":1e400}}""",
        """{"id":"c1"} {"id":"c2"}""",
        """{"id":"c1",}""",
        """[1,2]""",
        "",
    ];

    [Theory]
    [MemberData(nameof(Canonical))]
    public void The_canonical_shape_is_read_without_the_serializer_and_reads_as_it_would(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        Assert.True(ChatCompletionChunkReader.TryRead(bytes, out var fast));
        Assert.Equal(Normalised(JsonSerializer.Deserialize<ChatCompletion>(bytes, Json)), Normalised(fast));
    }

    [Theory]
    [MemberData(nameof(LeftToTheSerializer))]
    public void Other_shapes_are_left_to_the_serializer(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        Assert.False(ChatCompletionChunkReader.TryRead(bytes, out _));
        Assert.Equal(Normalised(JsonSerializer.Deserialize<ChatCompletion>(bytes, Json)), Normalised(ChatCompletionChunkReader.Read(bytes, Json)));
    }

    [Fact]
    public void A_case_variant_name_still_counts_as_the_serializer_counts_it()
    {
        var chunk = ChatCompletionChunkReader.Read("""{"Choices":[{"Index":3,"Delta":{"Content":"a"}}],"Usage":{"Total_Tokens":7}}"""u8, Json)!;
        Assert.Equal(3, chunk.Choices[0].Index);
        Assert.Equal("a", chunk.Choices[0].Delta!.Content);
        Assert.Equal(7, chunk.Usage!.TotalTokens);
        Assert.Empty(ChatCompletionChunkReader.Read("""{"choices":null}"""u8, Json)!.Choices);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_chunks_fail_as_the_serializer_fails(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        Assert.False(ChatCompletionChunkReader.TryRead(bytes, out _));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ChatCompletion>(bytes, Json));
        Assert.Throws<JsonException>(() => ChatCompletionChunkReader.Read(bytes, Json));
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_left_to_the_serializer()
    {
        byte[] bytes = [.. "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a"u8, 0xC3, 0x28, .. "\"}}]}"u8];
        Assert.False(ChatCompletionChunkReader.TryRead(bytes, out _));
        Assert.Throws<JsonException>(() => ChatCompletionChunkReader.Read(bytes, Json));
    }

    // Records compare lists by reference; their JSON compares them by content.
    private static string Normalised(ChatCompletion? chunk) => JsonSerializer.Serialize(chunk, Json);
}
