using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Tasks;

public sealed class PublicSocketTests(TasksApp app) : IClassFixture<TasksApp>
{
    private const string VideoRoute = "/cozeZhsApi/proxy/video-generation";

    private async Task<WebSocket> ConnectAsync()
    {
        var client = app.Server.CreateWebSocketClient();
        return await client.ConnectAsync(new Uri(app.Server.BaseAddress, "/cozeZhsApi/public-socket/ws").ToWsUri(), CancellationToken.None);
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

    private static async Task<JsonElement> RegisterAsync(WebSocket ws, string userId, string? chatId = null)
    {
        await SendAsync(ws, JsonSerializer.Serialize(new { @event = "register", user_uuid = userId, model_id = "doubao-video", chat_id = chatId }));
        var frame = (await ReceiveAsync(ws))!.Value;
        Assert.Equal("registered", frame.GetProperty("event").GetString());
        return frame;
    }

    [Fact]
    public async Task A_registered_client_gets_progress_and_completion_of_its_own_users_tasks_only()
    {
        var owner = await app.CreateUserAsync(10_000);
        var other = await app.CreateUserAsync(10_000);
        using var mine = await ConnectAsync();
        using var otherChat = await ConnectAsync();
        using var theirs = await ConnectAsync();
        var registered = await RegisterAsync(mine, owner.Id);
        Assert.Equal(owner.Id, registered.GetProperty("user_uuid").GetString());
        await RegisterAsync(otherChat, owner.Id, chatId: "another-chat");
        await RegisterAsync(theirs, other.Id);

        var http = app.CreateClient();
        var (response, json) = await TasksApp.PostAsync(http, VideoRoute, new { prompt = "风车", user_uuid = owner.Id, chat_id = "chat-s" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var taskId = json.GetProperty("data").GetProperty("task_id").GetString();

        var frames = new List<JsonElement>();
        while (frames.Count == 0 || frames[^1].GetProperty("event").GetString() == "progress")
            frames.Add((await ReceiveAsync(mine)) ?? throw new TimeoutException("no completion frame"));
        Assert.All(frames, f => Assert.Equal(taskId, f.GetProperty("task_id").GetString()));
        Assert.All(frames, f => Assert.Equal("chat-s", f.GetProperty("chat_id").GetString()));
        Assert.Equal("queued", frames[0].GetProperty("status").GetString());
        Assert.Contains(frames, f => f.GetProperty("status").GetString() == "running");
        var done = frames[^1];
        Assert.Equal(("completed", "succeeded", 100), (done.GetProperty("event").GetString(), done.GetProperty("status").GetString(), done.GetProperty("progress").GetInt32()));
        Assert.Equal(json.GetProperty("data").GetProperty("video_url").GetString(), done.GetProperty("result_urls")[0].GetString());
        Assert.Equal(500, done.GetProperty("charged").GetInt64());

        // The other user hears nothing; neither does the owner's connection filtered to another chat.
        Assert.Null(await ReceiveAsync(theirs, TimeSpan.FromMilliseconds(500)));
        Assert.Null(await ReceiveAsync(otherChat, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task A_failed_task_is_a_failed_frame()
    {
        var owner = await app.CreateUserAsync(10_000);
        using var ws = await ConnectAsync();
        await RegisterAsync(ws, owner.Id);
        await TasksApp.PostAsync(app.CreateClient(), VideoRoute, new { prompt = "坏任务 [fail]", user_uuid = owner.Id });

        JsonElement frame;
        do frame = (await ReceiveAsync(ws)) ?? throw new TimeoutException("no failed frame");
        while (frame.GetProperty("event").GetString() == "progress");
        Assert.Equal(("failed", "failed"), (frame.GetProperty("event").GetString(), frame.GetProperty("status").GetString()));
        Assert.Contains("sensitive", frame.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_unknown_user_gets_an_error_frame_and_the_socket_is_closed()
    {
        using var ws = await ConnectAsync();
        await SendAsync(ws, JsonSerializer.Serialize(new { @event = "register", user_uuid = Guid.NewGuid().ToString(), model_id = "m" }));
        var frame = (await ReceiveAsync(ws))!.Value;
        Assert.Equal(("error", 401), (frame.GetProperty("event").GetString(), frame.GetProperty("code").GetInt32()));
        Assert.Null(await ReceiveAsync(ws));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, ws.CloseStatus);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"user_uuid":"x"}""")]
    [InlineData("""{"event":"subscribe"}""")]
    [InlineData("null")]
    [InlineData("""{"event":null}""")]
    [InlineData("""{"event":5}""")]
    [InlineData("""{"event":"subscribe","task_id":{}}""")]
    [InlineData("""{"event":"\ud800"}""")]
    [InlineData("""{"event":"register","user_uuid":"\udc00","model_id":"m"}""")]
    [InlineData("""{"event":"subscribe","chat_id":"a\ud83d"}""")]
    [InlineData("""{"event":"ping","x":"\x41"}""")]
    public async Task Broken_frames_get_an_error_frame_and_the_socket_stays_open(string text)
    {
        using var ws = await ConnectAsync();
        await SendAsync(ws, text);
        var frame = (await ReceiveAsync(ws))!.Value;
        Assert.Equal(("error", 400), (frame.GetProperty("event").GetString(), frame.GetProperty("code").GetInt32()));

        await ws.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Equal("error", (await ReceiveAsync(ws))!.Value.GetProperty("event").GetString());

        await SendAsync(ws, """{"event":"ping"}""");
        Assert.Equal("pong", (await ReceiveAsync(ws))!.Value.GetProperty("event").GetString());
        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task A_plain_http_get_is_told_to_use_a_websocket()
    {
        var response = await app.CreateClient().GetAsync("/cozeZhsApi/public-socket/ws");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
    }
}

internal static class UriExtensions
{
    public static Uri ToWsUri(this Uri uri) => new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;
}
