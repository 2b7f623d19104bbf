using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Vendors.Channels;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Ihui.Tests.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Operations;

/// <summary>
/// OpenTelemetry's SDK joins instruments of the same name from every host in the process into one stream, and a host
/// that stops ends that stream for all: so the tests that read <c>/metrics</c> run alone, after the parallel ones
/// (a production process has one host).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}

/// <summary><c>/metrics</c> after known calls: each count is the difference between two scrapes around them, exact.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests(MetricsApp app) : IClassFixture<MetricsApp>, IDisposable
{
    private const string Vision = "/cozeZhsApi/dashscope/vision/chat";
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose()
    {
        app.DashScope.Reset();
        app.Ark.Reset();
        app.Ark.Hold = false;
    }

    private static object VisionBody(string user) => new
    {
        prompt = "这张图里有什么？", image_urls = new[] { "https://example.com/cat.png" }, user_uuid = user,
    };

    [Fact]
    public async Task Vendor_answers_and_errors_are_counted_per_channel_across_a_failover()
    {
        // A dead account (nothing listens on port 1): no second host in this process, which would end the shared metric streams.
        const string backupKey = "sk-test-metrics-backup-0123456789";
        var store = app.Services.GetRequiredService<ChannelStore>();
        var router = app.Services.GetRequiredService<ChannelRouter>();
        var id = Guid.NewGuid().ToString();
        await store.SaveAsync(new ChannelRow
        {
            Id = id, Vendor = "dashscope", Name = "backup", BaseUrl = "http://127.0.0.1:1", Credential = store.Seal(backupKey), Priority = 10,
        });
        await router.ReloadAsync();
        try
        {
            var user = await app.CreateUserAsync(100_000);
            var before = await app.ScrapeAsync();

            for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync(Vision, VisionBody(user.Id))).StatusCode);

            var after = await app.ScrapeAsync();
            double Delta(string metric, params (string, string)[] labels) => after.Value(metric, labels) - before.Value(metric, labels);
            Assert.Equal(2, Delta("ihui_vendor_errors_total", ("vendor", "dashscope"), ("channel", "backup"), ("kind", "unreachable")));
            Assert.Equal(2, Delta("ihui_vendor_duration_seconds_count", ("vendor", "dashscope"), ("channel", "backup"), ("outcome", "unreachable")));
            Assert.Equal(2, Delta("ihui_vendor_duration_seconds_count", ("vendor", "dashscope"), ("channel", "default"), ("outcome", "ok")));
            Assert.Equal(0, Delta("ihui_vendor_errors_total", ("vendor", "dashscope"), ("channel", "default"), ("kind", "server_error")));
            Assert.Equal(2, Delta("ihui_calls_total", ("route", Vision), ("outcome", "succeeded"), ("code", "200")));
        }
        finally
        {
            await app.Services.GetRequiredService<Db>().ExecuteWriteAsync("DELETE FROM channels WHERE id = @id", new { id });
            await router.ReloadAsync();
        }
    }

    [Fact]
    public async Task Calls_vendor_answers_billing_stages_and_tokens_are_counted_by_route_outcome_and_model()
    {
        var user = await app.CreateUserAsync(100_000);
        var before = await app.ScrapeAsync();

        long charged = 0;
        for (var i = 0; i < 3; i++)
        {
            var ok = await _http.PostAsJsonAsync(Vision, VisionBody(user.Id));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            charged += (await IhuiApp.JsonAsync(ok)).GetProperty("data").GetProperty("consume_token").GetInt64();
        }
        app.DashScope.Mode = FakeMode.Fail;
        app.DashScope.FailStatus = 503;
        Assert.Equal(HttpStatusCode.BadGateway, (await _http.PostAsJsonAsync(Vision, VisionBody(user.Id))).StatusCode);
        app.DashScope.Mode = FakeMode.Hang;
        Assert.Equal(HttpStatusCode.RequestTimeout, (await _http.PostAsJsonAsync(Vision, VisionBody(user.Id))).StatusCode);
        app.DashScope.Mode = FakeMode.Normal;
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.PostAsJsonAsync(Vision, VisionBody("no-such-user"))).StatusCode);

        var after = await app.ScrapeAsync();
        double Delta(string metric, params (string, string)[] labels) => after.Value(metric, labels) - before.Value(metric, labels);

        Assert.Equal(3, Delta("ihui_calls_total", ("route", Vision), ("outcome", "succeeded"), ("code", "200")));
        Assert.Equal(1, Delta("ihui_calls_total", ("route", Vision), ("outcome", "failed"), ("code", "502")));
        Assert.Equal(1, Delta("ihui_calls_total", ("route", Vision), ("outcome", "timeout"), ("code", "408")));
        Assert.Equal(1, Delta("ihui_calls_total", ("route", Vision), ("outcome", "failed"), ("code", "401")));
        Assert.Equal(6, Delta("ihui_call_duration_seconds_count", ("route", Vision)));
        // The timed-out call took the vendor's 2 s timeout (the timer runs on a millisecond tick, so allow it a little early).
        var timedOut = Delta("ihui_call_duration_seconds_sum", ("route", Vision), ("outcome", "timeout"));
        Assert.True(timedOut is >= 1.9 and < 30, $"the timed-out call took {timedOut} s");

        Assert.Equal(3, Delta("ihui_vendor_duration_seconds_count", ("vendor", "dashscope"), ("channel", "default"), ("outcome", "ok")));
        Assert.Equal(1, Delta("ihui_vendor_errors_total", ("vendor", "dashscope"), ("channel", "default"), ("kind", "server_error")));
        Assert.Equal(1, Delta("ihui_vendor_errors_total", ("vendor", "dashscope"), ("channel", "default"), ("kind", "timeout")));

        // The unknown user never reaches billing: 5 reservations, 3 settlements, 2 refunds.
        Assert.Equal(5, Delta("ihui_billing_stage_duration_seconds_count", ("stage", "reserve")));
        Assert.Equal(3, Delta("ihui_billing_stage_duration_seconds_count", ("stage", "settle")));
        Assert.Equal(2, Delta("ihui_billing_stage_duration_seconds_count", ("stage", "refund")));
        Assert.Equal(charged, Delta("ihui_tokens_charged_total", ("model", "qwen-vl-max")));
        Assert.Equal(100_000 - charged, await app.BalanceAsync(user.Id));

        // ASP.NET Core's own request metric, by route template and status.
        Assert.Equal(3, Delta("http_server_request_duration_seconds_count", ("http_route", Vision), ("http_response_status_code", "200")));
        Assert.Equal(1, Delta("http_server_request_duration_seconds_count", ("http_route", Vision), ("http_response_status_code", "401")));
    }

    [Fact]
    public async Task A_streams_first_chunk_is_timed_and_open_websockets_are_counted()
    {
        var user = await app.CreateUserAsync(100_000);
        var key = await CreateKeyAsync(user.Id);
        var before = await app.ScrapeAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "metrics-qwen", stream = true, messages = new[] { new { role = "user", content = "你好" } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var stream = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Contains("[DONE]", await stream.Content.ReadAsStringAsync());

        var afterStream = await app.ScrapeAsync();
        Assert.Equal(1, afterStream.Value("ihui_stream_time_to_first_chunk_seconds_count", ("route", "/v1/chat/completions"))
                        - before.Value("ihui_stream_time_to_first_chunk_seconds_count", ("route", "/v1/chat/completions")));

        const string Socket = "/cozeZhsApi/public-socket/ws";
        var client = app.Server.CreateWebSocketClient();
        using (var ws = await client.ConnectAsync(new Uri(app.Server.BaseAddress, Socket).ToWsUri(), CancellationToken.None))
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { @event = "ping" })), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[4096];
            var pong = await ws.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Contains("pong", Encoding.UTF8.GetString(buffer, 0, pong.Count));
            Assert.Equal(1, (await app.ScrapeAsync()).Value("ihui_websockets_open", ("route", Socket)));
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
        await Eventually(async () => (await app.ScrapeAsync()).Value("ihui_websockets_open", ("route", Socket)) == 0);
    }

    [Fact]
    public async Task The_task_queue_depth_is_the_databases_count_of_unfinished_tasks()
    {
        var user = await app.CreateUserAsync(100_000);
        var before = (await app.ScrapeAsync()).Value("ihui_tasks_active");
        app.Ark.Hold = true;
        var (response, json) = await TasksApp.PostAsync(_http, "/cozeZhsApi/proxy/video-generation",
            new { prompt = "一只猫", images = new[] { "https://example.com/first.png" }, user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var taskId = json.GetProperty("data").GetProperty("task_id").GetString()!;

        Assert.Equal(before + 1, (await app.ScrapeAsync()).Value("ihui_tasks_active"));
        app.Ark.Hold = false;
        await app.WaitForTaskAsync(taskId, t => t.Status == "succeeded");
        Assert.Equal(before, (await app.ScrapeAsync()).Value("ihui_tasks_active"));
        Assert.True((await app.ScrapeAsync()).Value("ihui_billing_stage_duration_seconds_count", ("stage", "task_finish")) >= 1);
    }

    [Fact]
    public async Task The_endpoint_answers_only_to_its_token_and_never_shows_it()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync("/metrics")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsApp.Token + "x");
        var denied = await _http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        var body = await IhuiApp.JsonAsync(denied);
        Assert.Equal(401, body.GetProperty("code").GetInt32());
        Assert.DoesNotContain(MetricsApp.Token, body.GetRawText());

        var scrape = await app.ScrapeAsync();
        Assert.True(scrape.Has("ihui_tasks_active"));
        Assert.DoesNotContain(MetricsApp.Token, scrape.Text);
        Assert.DoesNotContain(IhuiApp.DashScopeKey, scrape.Text);
    }

    private async Task<string> CreateKeyAsync(string userId)
    {
        var response = await _http.PostAsJsonAsync("/api/keys", new { user_uuid = userId, name = "metrics" });
        response.EnsureSuccessStatusCode();
        return (await IhuiApp.JsonAsync(response)).GetProperty("data").GetProperty("key").GetString()!;
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > end) throw new TimeoutException("condition not reached in time");
            await Task.Delay(25);
        }
    }
}

/// <summary>Without <c>METRICS_ENABLED</c> there is no metrics route.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsOffTests(IhuiApp app) : IClassFixture<IhuiApp>
{
    [Fact]
    public async Task The_metrics_route_does_not_exist()
    {
        var response = await app.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
