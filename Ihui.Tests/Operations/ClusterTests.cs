using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Operations;

/// <summary>Two real Ihui processes on one MariaDB and one Redis: what one instance does, the other sees.</summary>
public sealed class ClusterTests(ClusterApp app) : IClassFixture<ClusterApp>
{
    [ClusterFact]
    public async Task A_public_socket_client_on_one_instance_hears_a_task_polled_by_the_other()
    {
        var user = await app.CreateUserAsync(10_000);
        app.Ark.Hold = true;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{app.B.BaseAddress.Authority}/cozeZhsApi/public-socket/ws"), CancellationToken.None);
        await SendAsync(socket, new { @event = "register", user_uuid = user.Id });
        Assert.Equal("registered", (await ReceiveAsync(socket))!.Value.GetProperty("event").GetString());

        // Submitted through A, polled only by A (B's poller is off).
        var response = await app.A.Http.PostAsync("/cozeZhsApi/proxy/video-generation", Json(new { prompt = "风车", user_uuid = user.Id }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var taskId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("task_id").GetString();
        app.Ark.Hold = false;

        JsonElement frame;
        do frame = (await ReceiveAsync(socket)) ?? throw new TimeoutException("instance B's client heard no completion");
        while (frame.GetProperty("event").GetString() == "progress");
        Assert.Equal(("completed", "succeeded", taskId), (frame.GetProperty("event").GetString(), frame.GetProperty("status").GetString(),
            frame.GetProperty("task_id").GetString()));
        var task = await app.TaskAsync(taskId!);
        Assert.Equal("succeeded", task!.Status);
    }

    [ClusterFact]
    public async Task A_login_lockout_counts_failures_on_both_instances_and_holds_on_both()
    {
        var name = "c" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(HttpStatusCode.OK, (await app.A.Http.PostAsync("/auth/register",
            Json(new { username = name, password = "Secret-123", email = "a@b.cn" }))).StatusCode);
        Task<HttpResponseMessage> Login(IhuiProcess instance, string password) =>
            instance.Http.PostAsync("/auth/login", Json(new { username = name, password }));

        // LOGIN_MAX_FAILURES is 3 on both: two failures on A and one on B lock the account everywhere.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Login(app.A, "wrong-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Login(app.B, "wrong-2")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Login(app.A, "wrong-3")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Login(app.A, "Secret-123")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Login(app.B, "Secret-123")).StatusCode);
    }

    [ClusterFact]
    public async Task A_parallel_burst_of_wrong_logins_spread_over_both_instances_gets_the_limit_of_answers_and_the_rest_429()
    {
        var name = "c" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(HttpStatusCode.OK, (await app.B.Http.PostAsync("/auth/register",
            Json(new { username = name, password = "Secret-123", email = "a@b.cn" }))).StatusCode);
        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 100).Select(async i =>
        {
            await start.WaitAsync();
            using var r = await (i % 2 == 0 ? app.A : app.B).Http.PostAsync("/auth/login", Json(new { username = name, password = "wrong" }));
            return r.StatusCode;
        }).ToList();
        start.Release(100);
        var statuses = await Task.WhenAll(calls);
        // LOGIN_MAX_FAILURES is 3: attempts are counted in Redis before they run, so only three passwords are judged.
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(97, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static Task SendAsync(WebSocket ws, object frame) =>
        ws.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement?> ReceiveAsync(WebSocket ws)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
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
}
