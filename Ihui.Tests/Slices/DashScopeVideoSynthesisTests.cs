using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

public sealed class DashScopeVideoSynthesisTests(TasksApp app) : IClassFixture<TasksApp>, IDisposable
{
    public void Dispose() => app.DashScopeTasks.Reset();

    private async Task<WebSocket> ConnectAsync(string? userId)
    {
        var uri = new UriBuilder(app.Server.BaseAddress) { Scheme = "ws", Path = "/cozeZhsApi/dashscope/video-synthesis/ws", Query = $"client_id=c1&user_uuid={userId}" }.Uri;
        return await app.Server.CreateWebSocketClient().ConnectAsync(uri, CancellationToken.None);
    }

    private static Task SendAsync(WebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement?> ReceiveAsync(WebSocket ws, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var buffer = new byte[65536];
        using var ms = new MemoryStream();
        try
        {
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, cts.Token);
                if (r.MessageType == WebSocketMessageType.Close) return null;
                ms.Write(buffer, 0, r.Count);
                if (r.EndOfMessage) return JsonDocument.Parse(ms.ToArray()).RootElement.Clone();
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task<JsonElement> NextAsync(WebSocket ws, string type)
    {
        while (true)
        {
            var frame = await ReceiveAsync(ws) ?? throw new TimeoutException($"no {type} frame");
            if (frame.GetProperty("type").GetString() == type) return frame;
        }
    }

    [Fact]
    public async Task A_frame_becomes_a_task_whose_progress_and_video_are_pushed_and_charged_per_second()
    {
        var user = await app.CreateUserAsync(10_000);
        using var ws = await ConnectAsync(user.Id);
        var connected = (await ReceiveAsync(ws))!.Value;
        Assert.Equal(("connected", "c1"), (connected.GetProperty("type").GetString(), connected.GetProperty("data").GetProperty("client_id").GetString()));

        await SendAsync(ws, """{"type":"video_synthesis","data":{"prompt":"海边日落","chat_id":"chat-9","duration":5}}""");
        var created = await NextAsync(ws, "task_created");
        var taskId = created.GetProperty("data").GetProperty("task_id").GetString();
        Assert.Equal("chat-9", created.GetProperty("data").GetProperty("chat_id").GetString());
        var result = await NextAsync(ws, "video_synthesis_result");
        var data = result.GetProperty("data");
        Assert.Equal(taskId, data.GetProperty("task_id").GetString());
        Assert.EndsWith(".mp4", data.GetProperty("video_url").GetString());
        Assert.Equal(500, data.GetProperty("consume_token").GetInt64()); // 5 s × 50 × 2
        Assert.Equal(10_000 - 500, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000 - 500, await app.LedgerSumAsync(user.Id));

        var create = app.DashScopeTasks.Received.Single(r => r.Method == "POST");
        Assert.Equal("/api/v1/services/aigc/video-generation/video-synthesis", create.Path);
        Assert.Equal("enable", create.Headers["X-DashScope-Async"]);
        using var body = JsonDocument.Parse(create.Body);
        Assert.Equal("海边日落", body.RootElement.GetProperty("input").GetProperty("prompt").GetString());
        Assert.Equal(5, body.RootElement.GetProperty("parameters").GetProperty("duration").GetInt32());
    }

    [Fact]
    public async Task A_failed_video_is_reported_and_refunded()
    {
        var user = await app.CreateUserAsync(10_000);
        using var ws = await ConnectAsync(user.Id);
        await SendAsync(ws, """{"type":"video_synthesis","data":{"prompt":"坏视频 [fail]"}}""");
        var failed = await NextAsync(ws, "video_synthesis_failed");
        Assert.Contains("nothing was charged", failed.GetProperty("data").GetProperty("error").GetString());
        Assert.Equal(10_000, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task Bad_frames_get_error_frames_without_a_vendor_call_and_the_socket_stays_open()
    {
        var user = await app.CreateUserAsync(10);
        using var ws = await ConnectAsync(user.Id);
        await NextAsync(ws, "connected");
        foreach (var (frame, code) in new[]
                 {
                     ("{oops", 400), ("[]", 400), ("""{"type":"dance"}""", 400), ("""{"type":"video_synthesis"}""", 400),
                     ("""{"type":"video_synthesis","data":{"chat_id":"x"}}""", 400),
                     ("""{"type":"video_synthesis","data":{"prompt":"x","duration":7}}""", 400),
                     ("null", 400), ("""{"type":null}""", 400), ("""{"type":5}""", 400), ("""{"type":"video_synthesis","data":null}""", 400),
                     ("""{"type":"video_synthesis","data":[]}""", 400), ("""{"type":"video_synthesis","data":{"prompt":["x"]}}""", 400),
                     ("""{"type":"video_synthesis","data":{"prompt":"x","duration":"long"}}""", 400),
                     ("""{"type":"video_synthesis","data":{"prompt":"x","chat_id":{}}}""", 400),
                     ("""{"type":"video_synthesis","data":{"prompt":"hi \ud800"}}""", 400),
                     ("""{"type":"video_synthesis","data":{"prompt":"x","chat_id":"\udc00"}}""", 400),
                     ("""{"type":"\ud800"}""", 400), ("""{"type":"ping","x":"\x41"}""", 400),
                     ("""{"type":"video_synthesis","data":{"prompt":"x"}}""", 402),
                 })
        {
            await SendAsync(ws, frame);
            var error = await NextAsync(ws, "error");
            Assert.Equal(code, error.GetProperty("code").GetInt32());
        }
        await SendAsync(ws, """{"type":"ping"}""");
        await NextAsync(ws, "pong");
        Assert.Empty(app.DashScopeTasks.Received);
        Assert.Equal(10, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task An_unknown_user_is_told_and_disconnected()
    {
        using var ws = await ConnectAsync(Guid.NewGuid().ToString());
        var error = (await ReceiveAsync(ws))!.Value;
        Assert.Equal(("error", 401), (error.GetProperty("type").GetString(), error.GetProperty("code").GetInt32()));
        Assert.Null(await ReceiveAsync(ws));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, ws.CloseStatus);
    }
}
