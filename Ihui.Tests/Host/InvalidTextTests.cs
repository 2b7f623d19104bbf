using System.Net;
using System.Text;
using System.Text.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Host;

/// <summary>
/// Text that is not valid Unicode — a lone UTF-16 surrogate escape (<c>\ud800</c>, <c>\udc00</c>) — and invalid escapes
/// (<c>\x41</c>, <c>\u12</c>) are malformed JSON everywhere: HTTP 400 <c>invalid_json</c> (OpenAI's shape on /v1) before any
/// vendor call, and on a socket an error frame 400 after which the socket answers the next frame.
/// </summary>
public static class InvalidText
{
    /// <summary>JSON string literals, as sent on the wire.</summary>
    public static readonly string[] Literals =
        ["\"hi \\ud800\"", "\"\\udc00 there\"", "\"\\ud800\\u0041\"", "\"a\\ud83d\"", "\"\\x41\"", "\"\\u12\"", "\"\\ud800\\ud800\""];

    public static readonly string[] Surrogates = Literals[..4];
}

public sealed class InvalidTextHttpTests(OpenAiApiApp app) : IClassFixture<OpenAiApiApp>
{
    [Fact]
    public async Task Chat_completions_answer_400_invalid_json_for_every_place_text_can_be()
    {
        var user = await app.CreateUserAsync(100_000);
        var (_, key) = await app.CreateKeyAsync(user.Id);
        var http = app.KeyClient(key);
        var before = app.DashScope.Received.Length;
        foreach (var literal in InvalidText.Literals)
            foreach (var body in (string[])[
                         $$"""{"model":"test-qwen","messages":[{"role":"user","content":{{literal}}}]}""",
                         $$"""{"model":"test-qwen","messages":[{"role":"user","content":[{"type":"text","text":{{literal}}}]}]}""",
                         $$"""{"model":"test-qwen","stream":true,"messages":[{"role":"user","content":{{literal}}}]}""",
                         $$"""{"model":{{literal}},"messages":[{"role":"user","content":"hi"}]}""",
                         $$"""{"model":"test-qwen","messages":[{"role":{{literal}},"content":"hi"}]}""",
                         $$"""{"model":"test-qwen","stop":[{{literal}}],"messages":[{"role":"user","content":"hi"}]}""",
                     ])
            {
                var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {body}: {text}");
                var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
                Assert.Equal("invalid_json", error.GetProperty("code").GetString());
                if (InvalidText.Surrogates.Contains(literal))
                    Assert.Contains("not valid Unicode", error.GetProperty("message").GetString());
            }
        Assert.Equal(before, app.DashScope.Received.Length);
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task Seed_routes_answer_the_seed_envelope_400()
    {
        var user = await app.CreateUserAsync(100_000);
        var http = app.CreateClient();
        foreach (var literal in InvalidText.Literals)
            foreach (var (route, body) in (ValueTuple<string, string>[])[
                         ("/cozeZhsApi/dashscope/vision/chat", $$"""{"prompt":{{literal}},"image_urls":["https://e.com/a.png"],"user_uuid":"{{user.Id}}"}"""),
                         ("/cozeZhsApi/dashscope/vision/chat", $$"""{"prompt":"p","chat_id":{{literal}},"image_urls":["https://e.com/a.png"],"user_uuid":"{{user.Id}}"}"""),
                         ("/gemini/3/generate", $$"""{"prompt":{{literal}},"user_uuid":"{{user.Id}}"}"""),
                         ("/auth/login", $$"""{"username":{{literal}},"password":"x"}"""),
                     ])
            {
                var response = await http.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {route} {body}: {text}");
                Assert.Equal(400, JsonDocument.Parse(text).RootElement.GetProperty("code").GetInt32());
            }
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
    }
}

public sealed class InvalidTextChatSocketTests(ChatStreamApp app) : IClassFixture<ChatStreamApp>
{
    [Theory]
    [InlineData("/cozeZhsApi/ws/doubao/streamDou")]
    [InlineData("/cozeZhsApi/ws/qwen/stream")]
    [InlineData("/cozeZhsApi/ws/chatomni/stream")]
    [InlineData("/cozeZhsApi/ws/zhipu/stream")]
    [InlineData("/cozeZhsApi/ws/chatdeepseek/stream")]
    public async Task Every_chat_socket_answers_an_error_frame_and_stays_usable(string route)
    {
        var user = await app.CreateUserAsync(100_000);
        await using var ws = await app.ConnectAsync(route, user.Id);
        await ws.ExpectAsync("connected");
        foreach (var literal in InvalidText.Literals)
            foreach (var frame in (string[])[
                         $$$"""{"type":"chat","data":{"prompt":{{{literal}}}}}""",
                         $$$"""{"type":"chat","data":{"prompt":"x","chat_id":{{{literal}}}}}""",
                         $$"""{"type":{{literal}}}""",
                         $$"""{"type":"ping","extra":{{literal}}}""",
                         $$"""{{{literal}}:1,"type":"ping"}""",
                     ])
            {
                await ws.SendTextAsync(frame);
                var error = await ws.ExpectAsync("error");
                Assert.Equal(400, error.GetProperty("code").GetInt32());
                Assert.Contains("JSON", error.GetProperty("msg").GetString());
            }
        await ws.SendAsync(new { type = "ping" });
        await ws.ExpectAsync("pong");
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
    }
}
