using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Vendors;

/// <summary>
/// The chat vendors with a 2 s stream idle limit (and vendor timeouts long enough not to be what ends a stall): wide
/// enough that a loaded CI box never stretches the slow vendor's 300 ms gaps past it.
/// </summary>
public sealed class IdleChatApp : ChatStreamApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [.. base.ExtraSettings(), new("VENDOR_STREAM_IDLE_SECONDS", "2"), new("DASHSCOPE_TIMEOUT_SECONDS", "30"), new("DOUBAO_TIMEOUT_SECONDS", "30"),
            new("GLM_TIMEOUT_SECONDS", "30"), new("DEEPSEEK_TIMEOUT_SECONDS", "30")];
}

public sealed class IdleIFlytekApp : IFlytekApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [.. base.ExtraSettings(), new("VENDOR_STREAM_IDLE_SECONDS", "1"), new("XFYUN_TIMEOUT_SECONDS", "30")];
}

/// <summary>
/// A vendor that streams a few chunks and then goes quiet (connection open, nothing sent): the stream ends with the
/// documented timeout (408 error frame / SSE error event, never done or [DONE]), the vendor request is cancelled, and
/// only what was delivered is charged.
/// </summary>
public sealed class StreamIdleTimeoutTests(IdleChatApp app) : IClassFixture<IdleChatApp>, IDisposable
{
    private const string Reply = "这是一个很长的回答，会在中途停下来不再发送任何内容";

    public void Dispose()
    {
        foreach (var fake in app.ChatFakes)
        {
            fake.Reset();
            fake.StallAfterPieces = null;
            fake.Reply = "你好！我是通义千问。";
        }
    }

    private async Task AssertBooksAsync(string userId, long expected)
    {
        Assert.Equal(expected, await app.BalanceAsync(userId));
        Assert.Equal(expected, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }

    [Theory]
    [InlineData("/cozeZhsApi/ws/doubao/streamDou", "doubao")]
    [InlineData("/cozeZhsApi/ws/qwen/stream", "dashscope")]
    [InlineData("/cozeZhsApi/ws/chatomni/stream", "dashscope")]
    [InlineData("/cozeZhsApi/ws/zhipu/stream", "zhipu")]
    [InlineData("/cozeZhsApi/ws/chatdeepseek/stream", "deepseek")]
    public async Task A_chat_socket_turn_whose_vendor_goes_quiet_ends_with_a_408_frame(string route, string vendor)
    {
        var user = await app.CreateUserAsync(50_000);
        var fake = app.Fake(vendor);
        (fake.Reply, fake.StallAfterPieces) = (Reply, 2);
        var aborts = fake.Aborts;
        await using var ws = await app.ConnectAsync(route, user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("你好");
        var frames = await ws.ReadTurnAsync();
        Assert.DoesNotContain(frames, f => f.GetProperty("type").GetString() == "done");
        var error = frames[^1];
        Assert.Equal(("error", 408), (error.GetProperty("type").GetString(), error.GetProperty("code").GetInt32()));
        var delivered = string.Concat(frames.Where(f => f.GetProperty("type").GetString() == "delta").Select(f => f.GetProperty("content").GetString()));
        Assert.Equal(Reply[..6], delivered);
        await WaitForAsync(() => fake.Aborts > aborts); // the vendor request was cancelled, not left open

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("timeout", 408), (call.Status, call.ErrorCode!.Value));
        Assert.Equal((2L, (long)TokenCounter.Count(delivered)), (call.UsageIn, call.UsageOut));
        Assert.Equal((long)Math.Ceiling((2 + TokenCounter.Count(delivered)) * 2m), call.Charged);
        await AssertBooksAsync(user.Id, 50_000 - call.Charged);

        // The socket is still usable, and a vendor that answers at its own pace is not cut.
        fake.StallAfterPieces = null;
        fake.Mode = FakeMode.Slow;
        fake.Delay = TimeSpan.FromMilliseconds(300);
        await ws.SendChatAsync("再来");
        var second = (await ws.ReadTurnAsync())[^1];
        Assert.True(second.GetProperty("type").GetString() == "done", $"the second turn ended with {second.GetRawText()}");
    }

    [Fact]
    public async Task An_openai_stream_whose_vendor_goes_quiet_ends_with_an_error_event_and_no_done()
    {
        var user = await app.CreateUserAsync(50_000);
        var created = await app.CreateClient().PostAsJsonAsync("/api/keys", new { user_uuid = user.Id, name = "idle" });
        var key = (await IhuiApp.JsonAsync(created)).GetProperty("data").GetProperty("key").GetString()!;
        (app.DashScope.Reply, app.DashScope.StallAfterPieces) = (Reply, 3);
        var aborts = app.DashScope.Aborts;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"qwen-plus","stream":true,"messages":[{"role":"user","content":"你好"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var http = app.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(20);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();

        Assert.DoesNotContain("[DONE]", events);
        using var last = JsonDocument.Parse(events[^1]);
        Assert.Equal("vendor_timeout", last.RootElement.GetProperty("error").GetProperty("code").GetString());
        var delivered = string.Concat(events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        Assert.Equal(Reply[..9], delivered);
        await WaitForAsync(() => app.DashScope.Aborts > aborts);

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("timeout", 408), (call.Status, call.ErrorCode!.Value));
        Assert.Equal(TokenCounter.Count(delivered), call.UsageOut);
        Assert.True(call.Charged > 0);
        await AssertBooksAsync(user.Id, 50_000 - call.Charged);
    }
}

/// <summary>iFlytek's sockets: a gap between frames longer than the idle limit is a 408, well before the vendor's 30 s timeout.</summary>
public sealed class IFlytekStreamIdleTests(IdleIFlytekApp app) : IClassFixture<IdleIFlytekApp>, IDisposable
{
    public void Dispose() => app.XFyun.ResetAll();

    private HttpClient Http()
    {
        var http = app.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(15);
        return http;
    }

    [Fact]
    public async Task Spark_going_quiet_after_its_first_frame_is_a_408_on_chat_and_an_error_frame_on_the_stream()
    {
        var user = await app.CreateUserAsync(100_000);
        app.XFyun.Stall = true;
        var body = new { uuid = user.Id, dialog = new[] { new { role = "user", content = "你好" } } };

        var chat = await Http().PostAsJsonAsync("/textModel/chat", body);
        Assert.Equal(HttpStatusCode.RequestTimeout, chat.StatusCode);

        var stream = await Http().PostAsJsonAsync("/textModel/stream", body);
        var frames = (await stream.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("header")).ToList();
        Assert.Equal(0, frames[0].GetProperty("code").GetInt32());
        Assert.Equal((408, 2), (frames[^1].GetProperty("code").GetInt32(), frames[^1].GetProperty("status").GetInt32()));

        var calls = await app.CallsAsync(user.Id);
        Assert.Equal(2, calls.Count(c => c is { Status: "timeout", ErrorCode: 408 }));
        Assert.Equal(await app.LedgerSumAsync(user.Id), await app.BalanceAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }

    [Fact]
    public async Task Dictation_going_quiet_after_the_audio_is_sent_is_a_408_and_refunded()
    {
        var user = await app.CreateUserAsync(1_000);
        app.XFyun.Stall = true;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/voiceModel/chat") { Content = new ByteArrayContent(new byte[6_400]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("uuid", user.Id);
        Assert.Equal(HttpStatusCode.RequestTimeout, (await Http().SendAsync(request)).StatusCode);
        Assert.Equal(1_000, await app.BalanceAsync(user.Id));
        Assert.Equal(1_000, await app.LedgerSumAsync(user.Id));
    }
}
