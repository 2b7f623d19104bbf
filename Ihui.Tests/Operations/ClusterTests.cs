using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.ApiKeys;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

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

    [ClusterFact]
    public async Task A_key_limit_of_n_a_minute_admits_n_in_total_over_both_instances()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var key = await NewKeyAsync(user.Id, concurrency: 0); // only the rate is under test here
        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 3 * ClusterApp.KeyRpm).Select(async i =>
        {
            await start.WaitAsync();
            using var r = await ChatAsync(i % 2 == 0 ? app.A : app.B, key);
            return (r.StatusCode, r.Headers.RetryAfter?.Delta?.TotalSeconds);
        }).ToList();
        start.Release(calls.Count);
        var results = await Task.WhenAll(calls);
        Assert.Equal(ClusterApp.KeyRpm, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.InRange(r.TotalSeconds ?? 0, 1, 60);
        });
        // Each instance still refuses: the window is the same on both.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(app.A, key)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(app.B, key)).StatusCode);
    }

    [ClusterFact]
    public async Task A_key_s_concurrency_limit_holds_over_both_instances_and_a_gone_client_gives_its_slot_back()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var key = await NewKeyAsync(user.Id, rpm: 100);
        app.DashScope.Mode = Fakes.FakeMode.Hang;
        try
        {
            var before = app.DashScope.Requests.Count;
            using var gone = new CancellationTokenSource();
            var held = new[] { ChatAsync(app.A, key, gone.Token), ChatAsync(app.B, key, gone.Token) };
            var until = DateTime.UtcNow.AddSeconds(20);
            while (app.DashScope.Requests.Count < before + ClusterApp.KeyConcurrency)
            {
                Assert.True(DateTime.UtcNow < until, "the held calls never reached the vendor");
                await Task.Delay(50);
            }
            // Two running, one on each instance: a third is refused on either.
            foreach (var instance in new[] { app.A, app.B })
            {
                using var refused = await ChatAsync(instance, key);
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
                Assert.Contains("at most 2 at once for this API key", await refused.Content.ReadAsStringAsync());
                Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            }
            await gone.CancelAsync();
            foreach (var h in held) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h);
            app.DashScope.Mode = Fakes.FakeMode.Normal;
            until = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                using var r = await ChatAsync(app.B, key);
                if (r.StatusCode == HttpStatusCode.OK) break;
                Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
                Assert.True(DateTime.UtcNow < until, "the slots of the gone clients were never given back");
                await Task.Delay(100);
            }
        }
        finally
        {
            app.DashScope.Mode = Fakes.FakeMode.Normal;
        }
    }

    private async Task<string> NewKeyAsync(string userId, int? rpm = null, int? concurrency = null) =>
        (await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(userId, "cluster", null, null, null, CancellationToken.None, rpm, concurrency)).Secret;

    private static async Task<HttpResponseMessage> ChatAsync(IhuiProcess instance, string key, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json(new { model = "qwen-plus", messages = new[] { new { role = "user", content = "hi" } } }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return await instance.Http.SendAsync(request, ct);
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
