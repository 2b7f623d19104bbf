using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Luyala;

/// <summary>Seed 000 #13 through HTTP: a Luyala (OpenAI Videos API) job on the task engine, and Ihui's content route.</summary>
public sealed class LuyalaVideoTests(LuyalaVideoApp app) : IClassFixture<LuyalaVideoApp>, IDisposable
{
    private const string Route = "/cozeZhsApi/luyala/video/create";
    // luyala-video: 100 per second × TOKEN_BASE_MULTIPLIER 2 = 200 tokens a second; LUYALA_VIDEO_SECONDS is 8 here.
    private const long Cost = LuyalaVideoApp.VideoSeconds * 100 * 2;
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose()
    {
        app.Luyala.Reset();
        app.Luyala.Hold = false;
    }

    private static object Body(string? user, string? prompt = "一只柴犬在雪地里奔跑，电影感") => new { prompt, user_uuid = user, chat_id = "chat-luyala" };

    private static string ContentPath(string taskId, string user) => $"/cozeZhsApi/luyala/video/{taskId}/content?user_uuid={user}";

    private async Task AssertBalancedAsync(string userId, long expected)
    {
        Assert.Equal(expected, await app.BalanceAsync(userId));
        Assert.Equal(expected, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Fact]
    public async Task A_finished_video_answers_with_ihuis_content_url_and_charges_the_configured_seconds()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        var data = json.GetProperty("data");
        var taskId = data.GetProperty("task_id").GetString()!;
        Assert.Equal("succeeded", data.GetProperty("status").GetString());
        Assert.Equal("http://localhost" + ContentPath(taskId, user.Id), data.GetProperty("video_url").GetString());
        Assert.DoesNotContain(LuyalaVideoApp.LuyalaKey, json.GetRawText());
        Assert.DoesNotContain(app.Luyala.BaseUrl, json.GetRawText());

        var task = await app.TaskAsync(taskId);
        Assert.Equal(("luyala.video", "succeeded", Cost, Cost), (task!.Kind, task.Status, task.Reserved, task.Charged));
        Assert.StartsWith("video_", task.VendorTaskId);
        await AssertBalancedAsync(user.Id, 10_000 - Cost);
        Assert.Equal([("charge", -Cost), ("hold", -Cost), ("release", Cost)], (await app.LedgerOfAsync(taskId)).OrderBy(l => l.Kind));

        var create = app.Luyala.Received.Single(r => r.Method == "POST");
        Assert.Equal(("/v1/videos", $"Bearer {LuyalaVideoApp.LuyalaKey}"), (create.Path, create.Headers["Authorization"]));
        using var sent = JsonDocument.Parse(create.Body);
        var root = sent.RootElement;
        Assert.Equal("sora-2", root.GetProperty("model").GetString());
        Assert.Equal("一只柴犬在雪地里奔跑，电影感", root.GetProperty("prompt").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("seconds").ValueKind);
        Assert.Equal("8", root.GetProperty("seconds").GetString());
        Assert.Equal("720x1280", root.GetProperty("size").GetString());
        Assert.All(app.Luyala.Received, r => Assert.Equal($"Bearer {LuyalaVideoApp.LuyalaKey}", r.Headers["Authorization"]));

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", Route, "luyala.video", Cost), (call.Status, call.Route, call.Vendor, call.Reserved));
    }

    [Fact]
    public async Task The_content_route_streams_the_vendors_mp4_to_the_owner_only()
    {
        var owner = await app.CreateUserAsync(10_000);
        var (_, json) = await TasksApp.PostAsync(_http, Route, Body(owner.Id));
        var taskId = json.GetProperty("data").GetProperty("task_id").GetString()!;
        var videoId = (await app.TaskAsync(taskId))!.VendorTaskId!;

        var video = await _http.GetAsync(new Uri(json.GetProperty("data").GetProperty("video_url").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal("video/mp4", video.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FakeLuyalaVideo.VideoBytes(videoId), await video.Content.ReadAsByteArrayAsync());
        var fetched = app.Luyala.Received.Last(r => r.Path == $"/v1/videos/{videoId}/content");
        Assert.Equal($"Bearer {LuyalaVideoApp.LuyalaKey}", fetched.Headers["Authorization"]);
        Assert.False(video.Headers.Contains("Authorization"));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(LuyalaVideoApp.LuyalaKey, StringComparison.Ordinal));

        var stranger = await app.CreateUserAsync(10_000);
        var theirs = await _http.GetAsync(ContentPath(taskId, stranger.Id));
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(404, (await IhuiApp.JsonAsync(theirs)).GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(ContentPath("task_nope", owner.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync($"/cozeZhsApi/luyala/video/{taskId}/content")).StatusCode);
        // Downloading is free: only the one video charge is on the ledger.
        await AssertBalancedAsync(owner.Id, 10_000 - Cost);
        await AssertBalancedAsync(stranger.Id, 10_000);
    }

    [Fact]
    public async Task The_content_route_does_not_serve_other_kinds_of_task()
    {
        var user = await app.CreateUserAsync(10_000);
        var (_, json) = await TasksApp.PostAsync(_http, "/cozeZhsApi/proxy/video-generation", new { prompt = "别的视频", user_uuid = user.Id });
        var taskId = json.GetProperty("data").GetProperty("task_id").GetString()!;
        Assert.Equal("succeeded", json.GetProperty("data").GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(ContentPath(taskId, user.Id))).StatusCode);
        Assert.DoesNotContain(app.Luyala.Received, r => r.Path.EndsWith("/content", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_video_is_the_documented_error_and_refunded_in_full()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "违规内容 [fail]"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(502, json.GetProperty("code").GetInt32());
        var msg = json.GetProperty("msg").GetString()!;
        Assert.Contains("blocked by our moderation system", msg);
        Assert.Contains("moderation_blocked", msg);
        Assert.Contains("nothing was charged", msg);
        await AssertBalancedAsync(user.Id, 10_000);

        // The failed task has no video: its content is 404, and the vendor is not asked for it.
        var taskId = System.Text.RegularExpressions.Regex.Match(msg, @"\(task (task_[0-9a-f]+)\)").Groups[1].Value;
        Assert.Equal("failed", (await app.TaskAsync(taskId))!.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(ContentPath(taskId, user.Id))).StatusCode);
        Assert.DoesNotContain(app.Luyala.Received, r => r.Path.EndsWith("/content", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Garbage_polls_are_retried_then_fail_and_refund()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "乱码 [garbage]"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("could not be polled", json.GetProperty("msg").GetString());
        Assert.Equal(3, app.Luyala.Jobs.Values.Single(j => j.Prompt.Contains("[garbage]")).Polls.Count); // TASK_MAX_POLL_ERRORS
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task A_rejected_create_is_refunded_and_the_vendor_message_returned()
    {
        var user = await app.CreateUserAsync(10_000);
        app.Luyala.Mode = FakeMode.Fail;
        app.Luyala.FailStatus = 500;
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("fake failure 500", json.GetProperty("msg").GetString());
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task A_video_still_running_answers_with_its_task_and_finishes_later()
    {
        var user = await app.CreateUserAsync(10_000);
        app.Luyala.Hold = true;
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "慢慢生成"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = json.GetProperty("data");
        var taskId = data.GetProperty("task_id").GetString()!;
        Assert.Contains(data.GetProperty("status").GetString(), new[] { "queued", "running" });
        Assert.False(data.TryGetProperty("video_url", out _)); // nulls are left out on the wire
        Assert.Equal(Cost, (await app.TaskAsync(taskId))!.Reserved);
        Assert.Equal(10_000 - Cost, await app.BalanceAsync(user.Id));
        Assert.Equal(1, await app.HoldCountAsync(user.Id));

        var early = await _http.GetAsync(ContentPath(taskId, user.Id));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(409, (await IhuiApp.JsonAsync(early)).GetProperty("code").GetInt32());

        var running = await (await _http.GetAsync($"/cozeZhsApi/tasks/{taskId}?user_uuid={user.Id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(running.GetProperty("data").GetProperty("progress").GetInt32() < 100);

        app.Luyala.Hold = false;
        await app.WaitForTaskAsync(taskId, t => t.Status == "succeeded");
        var done = await (await _http.GetAsync($"/cozeZhsApi/tasks/{taskId}?user_uuid={user.Id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", done.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("data").GetProperty("progress").GetInt32());
        Assert.Equal(Cost, done.GetProperty("data").GetProperty("charged").GetInt64());
        await AssertBalancedAsync(user.Id, 10_000 - Cost);

        var video = await _http.GetAsync(ContentPath(taskId, user.Id));
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal(FakeLuyalaVideo.VideoBytes((await app.TaskAsync(taskId))!.VendorTaskId!), await video.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("{\"user_uuid\":\"USER\"}")]
    [InlineData("{\"prompt\":\"\",\"user_uuid\":\"USER\"}")]
    [InlineData("{\"prompt\":123,\"user_uuid\":\"USER\"}")]
    [InlineData("{\"prompt\":\"LONG\",\"user_uuid\":\"USER\"}")]
    [InlineData("{\"prompt\": \"未闭合")]
    public async Task Bad_input_is_400_and_nothing_is_held_or_sent(string body)
    {
        var user = await app.CreateUserAsync(10_000);
        var json = body.Replace("USER", user.Id, StringComparison.Ordinal).Replace("LONG", new string('长', 4001), StringComparison.Ordinal);
        var response = await _http.PostAsync(Route, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(0, app.Luyala.Creates);
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task A_prompt_of_exactly_4000_characters_is_accepted()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, _) = await TasksApp.PostAsync(_http, Route, Body(user.Id, new string('长', 4000)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertBalancedAsync(user.Id, 10_000 - Cost);
    }

    [Fact]
    public async Task Insufficient_balance_is_402_and_the_vendor_is_not_called()
    {
        var user = await app.CreateUserAsync(Cost - 1);
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal(402, json.GetProperty("code").GetInt32());
        Assert.Equal(0, app.Luyala.Creates);
        await AssertBalancedAsync(user.Id, Cost - 1);
    }

    [Fact]
    public async Task A_retried_create_with_the_same_idempotency_key_returns_the_same_task_and_pays_once()
    {
        var user = await app.CreateUserAsync(10_000);
        var (_, first) = await TasksApp.PostAsync(_http, Route, Body(user.Id), idempotencyKey: "luyala-retry");
        var (_, second) = await TasksApp.PostAsync(_http, Route, Body(user.Id), idempotencyKey: "luyala-retry");

        var id = first.GetProperty("data").GetProperty("task_id").GetString();
        Assert.Equal(id, second.GetProperty("data").GetProperty("task_id").GetString());
        Assert.Equal("succeeded", second.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("data").GetProperty("video_url").GetString(), second.GetProperty("data").GetProperty("video_url").GetString());
        Assert.Equal(1, app.Luyala.Creates);
        await AssertBalancedAsync(user.Id, 10_000 - Cost);
    }
}

public sealed class LuyalaVideoNotConfiguredTests(NoLuyalaKeyApp app) : IClassFixture<NoLuyalaKeyApp>
{
    [Fact]
    public async Task A_missing_key_is_503_naming_the_variable_and_nothing_is_held()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(app.CreateClient(), "/cozeZhsApi/luyala/video/create",
            new { prompt = "无钥匙", user_uuid = user.Id }, idempotencyKey: "no-key");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(503, json.GetProperty("code").GetInt32());
        Assert.Contains("LUYALA_API_KEY", json.GetProperty("msg").GetString());
        Assert.Empty(app.Luyala.Received);
        Assert.Equal(10_000, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }
}
