using System.Net.WebSockets;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Chat;

public sealed class IdleChatStreamApp : ChatStreamApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [new("WS_IDLE_TIMEOUT_SECONDS", "1")];
}

public sealed class ChatSocketIdleTests(IdleChatStreamApp app) : IClassFixture<IdleChatStreamApp>
{
    private const string Route = "/cozeZhsApi/ws/qwen/stream";

    [Fact]
    public async Task An_idle_socket_gets_an_error_frame_408_and_is_closed()
    {
        var user = await app.CreateUserAsync(1_000);
        await using var ws = await app.ConnectAsync(Route, user.Id);
        await ws.ExpectAsync("connected");
        var started = DateTime.UtcNow;

        var error = await ws.ExpectAsync("error");
        Assert.Equal(408, error.GetProperty("code").GetInt32());
        Assert.Contains("idle", error.GetProperty("msg").GetString());
        Assert.Null(await ws.ReceiveAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.Socket.CloseStatus);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task Pings_keep_the_socket_open_and_a_running_turn_is_not_idle()
    {
        var user = await app.CreateUserAsync(100_000);
        await using var ws = await app.ConnectAsync(Route, user.Id);
        await ws.ExpectAsync("connected");
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(600);
            await ws.SendAsync(new { type = "ping" });
            await ws.ExpectAsync("pong");
        }

        app.DashScope.Mode = Fakes.FakeMode.Slow;
        app.DashScope.Delay = TimeSpan.FromMilliseconds(300); // the turn takes longer than the idle timeout
        try
        {
            await ws.SendChatAsync("慢慢说");
            var done = await ws.ExpectDoneAsync();
            Assert.Equal(app.DashScope.Reply, done.GetProperty("content").GetString());
        }
        finally
        {
            app.DashScope.Reset();
        }
    }
}
