using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.OpenAiCompatible;

namespace Ihui.Tests.Vendors;

/// <summary>The vendor request writes itself exactly as the serializer would with the client's options.</summary>
public sealed class ChatCompletionRequestJsonTests
{
    private static readonly JsonSerializerOptions Json = OpenAiCompatibleClient.Json;

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static TheoryData<ChatCompletionRequest> Requests() =>
    [
        new() { Model = "qwen-plus", Messages = [new ChatMessage("user", "hi")] },
        new()
        {
            Model = "qwen-plus", Messages = [new ChatMessage("system", "你好 <b>&'\"\\ \u0001 \t\n 😀 \u2028"), new ChatMessage("user", "lone \ud800 surrogate")],
            Stream = true, StreamOptions = new StreamOptions(true), MaxTokens = 1024, Temperature = 0.7, TopP = 1e-7,
        },
        new() { Model = "m", Messages = [new ChatMessage("assistant", null) { ReasoningContent = "think" }], Stream = false, StreamOptions = new StreamOptions(false) },
        new() { Model = "m", Messages = [new ChatMessage("user", Parse("""[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]"""))] },
        new() { Model = "m", Messages = [new ChatMessage("user", Parse("null")), new ChatMessage("user", Parse("\"s\""))] },
        new()
        {
            Model = "m", Messages = [new ChatMessage("user", new List<ContentPart> { ContentPart.FromText("t"), ContentPart.FromImage("data:image/png;base64,AAAA"), new("x"), null! })],
        },
        new() { Model = "m", Messages = [new ChatMessage("user", new ContentPart[] { ContentPart.FromText("an array") })] },
        new() { Model = "m", Messages = [new ChatMessage("user", new object[] { new { type = "input_audio", input_audio = new { data = "data:audio/wav;base64,AA" } } })] },
        new() { Model = "m", Messages = [new ChatMessage("user", 42), null!, new ChatMessage(null!, "no role")] },
        new()
        {
            Model = "m", Messages = [], Temperature = 2, TopP = 0.5,
            Extra = new() { ["enable_thinking"] = Parse("false"), ["thinking"] = Parse("""{"type":"enabled","budget_tokens":10}"""), ["CamelCase"] = Parse("1.50") },
        },
        new() { Model = null!, Messages = null! },
    ];

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_request_writes_what_the_serializer_writes(ChatCompletionRequest request)
    {
        var expected = JsonSerializer.Serialize(request, Json);
        var written = VendorHttp.JsonBody(request, Json);
        Assert.Equal(expected, Encoding.UTF8.GetString(await written.ReadAsByteArrayAsync()));
        Assert.Equal("application/json; charset=utf-8", written.Headers.ContentType!.ToString());
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), written.Headers.ContentLength);
    }
}
