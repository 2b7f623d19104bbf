using System.Net;
using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Tasks;

/// <summary>The task engine through the Seedance video slice: submit, poll, settle or refund, idempotency, ownership.</summary>
public sealed class TaskEngineTests(TasksApp app) : IClassFixture<TasksApp>, IDisposable
{
    private const string Route = "/cozeZhsApi/proxy/video-generation";
    // doubao-seedance: 50 per second × TOKEN_BASE_MULTIPLIER 2 = 100 tokens a second; the default worst case is 5 s.
    private const long PerSecond = 100;
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose()
    {
        app.Ark.Reset();
        app.Ark.Hold = false;
    }

    private static object Body(string? user, string prompt = "一只猫在草地上奔跑", string[]? images = null, object[]? custom = null) => new
    {
        prompt,
        images = images ?? ["https://example.com/first.png"],
        user_uuid = user,
        chat_id = "chat-v",
        zidingyican = custom,
    };

    private async Task AssertBalancedAsync(string userId, long expected)
    {
        Assert.Equal(expected, await app.BalanceAsync(userId));
        Assert.Equal(expected, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Fact]
    public async Task A_finished_video_answers_with_its_url_and_charges_the_reported_seconds()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Route,
            Body(user.Id, custom: [new { name = "duration", value = "6" }, new { name = "resolution", value = "720p" }, new { name = "nonsense", value = "x" }]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        var data = json.GetProperty("data");
        var taskId = data.GetProperty("task_id").GetString()!;
        Assert.Equal("succeeded", data.GetProperty("status").GetString());
        var task = await app.TaskAsync(taskId);
        Assert.Equal($"https://ark-cdn.example.com/{task!.VendorTaskId}.mp4", data.GetProperty("video_url").GetString());
        Assert.Equal(6 * PerSecond, data.GetProperty("consume_token").GetInt64());
        Assert.Equal(("succeeded", 6 * PerSecond, 6 * PerSecond), (task.Status, task.Reserved, task.Charged));
        await AssertBalancedAsync(user.Id, 10_000 - 6 * PerSecond);
        Assert.Equal([("charge", -6 * PerSecond), ("hold", -6 * PerSecond), ("release", 6 * PerSecond)], (await app.LedgerOfAsync(taskId)).OrderBy(l => l.Kind));

        var create = app.Ark.Received.Single(r => r.Method == "POST");
        Assert.Equal($"Bearer {TasksApp.ArkKey}", create.Headers["Authorization"]);
        using var sent = JsonDocument.Parse(create.Body);
        var root = sent.RootElement;
        Assert.Equal("doubao-seedance-1-0-pro-250528", root.GetProperty("model").GetString());
        Assert.Equal(6, root.GetProperty("duration").GetInt32());
        Assert.Equal("720p", root.GetProperty("resolution").GetString());
        Assert.False(root.TryGetProperty("nonsense", out _));
        Assert.Equal("一只猫在草地上奔跑", root.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("first_frame", root.GetProperty("content")[1].GetProperty("role").GetString());
        Assert.Equal("https://example.com/first.png", root.GetProperty("content")[1].GetProperty("image_url").GetProperty("url").GetString());

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", Route, "ark.seedance", 6 * PerSecond), (call.Status, call.Route, call.Vendor, call.Reserved));
    }

    [Fact]
    public async Task Usage_below_the_worst_case_is_charged_as_reported_and_no_usage_is_charged_the_worst_case()
    {
        var user = await app.CreateUserAsync(10_000);
        app.Ark.ReportedDuration = 3;
        var (_, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id));
        app.Ark.ReportedDuration = null;
        Assert.Equal(3 * PerSecond, json.GetProperty("data").GetProperty("consume_token").GetInt64());

        var (_, json2) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "海浪 [nousage]"));
        Assert.Equal(5 * PerSecond, json2.GetProperty("data").GetProperty("consume_token").GetInt64());
        await AssertBalancedAsync(user.Id, 10_000 - 8 * PerSecond);
    }

    [Fact]
    public async Task A_failed_task_is_an_error_and_refunded_in_full()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "违规内容 [fail]"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(502, json.GetProperty("code").GetInt32());
        Assert.Contains("sensitive", json.GetProperty("msg").GetString());
        Assert.Contains("nothing was charged", json.GetProperty("msg").GetString());
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task Cancelled_and_success_without_a_result_are_refunded()
    {
        var user = await app.CreateUserAsync(10_000);
        var (r1, _) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "取消 [cancel]"));
        var (r2, j2) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "无结果 [nourl]"));

        Assert.Equal(HttpStatusCode.BadGateway, r1.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, r2.StatusCode);
        Assert.Contains("without a result", j2.GetProperty("msg").GetString());
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task A_task_that_never_finishes_expires_at_its_deadline_and_is_refunded()
    {
        var user = await app.CreateUserAsync(10_000);
        var started = DateTime.UtcNow;
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "永远在跑 [stall]"));

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Contains("did not finish in time", json.GetProperty("msg").GetString());
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(TasksApp.DeadlineSeconds - 1));
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task Poll_errors_and_garbage_are_retried_with_back_off_then_fail_and_refund()
    {
        var user = await app.CreateUserAsync(10_000);
        var (r1, _) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "轮询失败 [pollfail]"));
        var (r2, j2) = await TasksApp.PostAsync(_http, Route, Body(user.Id, "乱码 [garbage]"));

        Assert.Equal(HttpStatusCode.BadGateway, r1.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, r2.StatusCode);
        Assert.Contains("could not be polled", j2.GetProperty("msg").GetString());
        foreach (var task in app.Ark.Tasks.Values.Where(t => t.Prompt.Contains("[pollfail]") || t.Prompt.Contains("[garbage]")))
            Assert.Equal(3, task.Polls.Count); // TASK_MAX_POLL_ERRORS
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task A_failed_vendor_create_is_refunded_and_frees_the_idempotency_key()
    {
        var user = await app.CreateUserAsync(10_000);
        app.Ark.Mode = FakeMode.Fail;
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id), idempotencyKey: "k-create-fails");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(502, json.GetProperty("code").GetInt32());
        await AssertBalancedAsync(user.Id, 10_000);

        app.Ark.Mode = FakeMode.Normal;
        var (retry, retryJson) = await TasksApp.PostAsync(_http, Route, Body(user.Id), idempotencyKey: "k-create-fails");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("succeeded", retryJson.GetProperty("data").GetProperty("status").GetString());
        await AssertBalancedAsync(user.Id, 10_000 - 5 * PerSecond);
    }

    [Fact]
    public async Task Insufficient_balance_is_402_and_the_vendor_is_not_called()
    {
        var user = await app.CreateUserAsync(5 * PerSecond - 1);
        var (response, json) = await TasksApp.PostAsync(_http, Route, Body(user.Id));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal(402, json.GetProperty("code").GetInt32());
        Assert.Equal(0, app.Ark.Creates);
        await AssertBalancedAsync(user.Id, 5 * PerSecond - 1);
    }

    [Fact]
    public async Task A_retried_submit_with_the_same_idempotency_key_returns_the_same_task_and_pays_once()
    {
        var user = await app.CreateUserAsync(10_000);
        var (_, first) = await TasksApp.PostAsync(_http, Route, Body(user.Id), idempotencyKey: "k-retry");
        var (_, second) = await TasksApp.PostAsync(_http, Route, Body(user.Id), idempotencyKey: "k-retry");

        Assert.Equal(first.GetProperty("data").GetProperty("task_id").GetString(), second.GetProperty("data").GetProperty("task_id").GetString());
        Assert.Equal("succeeded", second.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(1, app.Ark.Creates);
        await AssertBalancedAsync(user.Id, 10_000 - 5 * PerSecond);

        // The key is the caller's: another user with the same key gets a task of their own.
        var other = await app.CreateUserAsync(10_000);
        var (_, third) = await TasksApp.PostAsync(_http, Route, Body(other.Id), idempotencyKey: "k-retry");
        Assert.NotEqual(first.GetProperty("data").GetProperty("task_id").GetString(), third.GetProperty("data").GetProperty("task_id").GetString());
    }

    [Fact]
    public async Task Concurrent_duplicate_submits_create_one_task_and_one_hold()
    {
        var user = await app.CreateUserAsync(10_000);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TasksApp.PostAsync(_http, Route, Body(user.Id), idempotencyKey: "k-burst")));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.Single(results.Select(r => r.Json.GetProperty("data").GetProperty("task_id").GetString()).Distinct());
        Assert.Equal(1, app.Ark.Creates);
        var taskId = results[0].Json.GetProperty("data").GetProperty("task_id").GetString()!;
        await app.WaitForTaskAsync(taskId, t => t.Status == "succeeded");
        Assert.Single(await app.LedgerOfAsync(taskId), l => l.Kind == "charge");
        await AssertBalancedAsync(user.Id, 10_000 - 5 * PerSecond);
    }

    [Theory]
    [InlineData("""{"images":["https://example.com/a.png"],"user_uuid":"USER"}""", "prompt")]
    [InlineData("""{"prompt":"x","images":["ftp://example.com/a.png"],"user_uuid":"USER"}""", "images")]
    [InlineData("""{"prompt":"x","images":["https://e.com/1.png","https://e.com/2.png","https://e.com/3.png"],"user_uuid":"USER"}""", "at most 2 images")]
    [InlineData("""{"prompt":"x","user_uuid":"USER","zidingyican":[{"name":"duration","value":"99"}]}""", "duration")]
    [InlineData("""{"prompt":"x","user_uuid":"USER","zidingyican":[{"name":"resolution","value":"4k"}]}""", "resolution")]
    [InlineData("""{"prompt":"x","images":[null],"user_uuid":"USER"}""", "images")]
    [InlineData("""{"prompt":"x","user_uuid":"USER","zidingyican":[null]}""", "zidingyican")]
    [InlineData("""{"prompt":"x","user_uuid":"USER","images":"not-a-list"}""", "JSON")]
    public async Task Bad_input_is_400_and_the_vendor_is_not_called(string body, string mentions)
    {
        var user = await app.CreateUserAsync(10_000);
        var response = await _http.PostAsync(Route, new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(400, json.GetProperty("code").GetInt32());
        Assert.Contains(mentions, json.GetProperty("msg").GetString());
        Assert.Equal(0, app.Ark.Creates);
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task Get_task_answers_only_the_owner()
    {
        var owner = await app.CreateUserAsync(10_000);
        var stranger = await app.CreateUserAsync(10_000);
        var (_, json) = await TasksApp.PostAsync(_http, Route, Body(owner.Id));
        var taskId = json.GetProperty("data").GetProperty("task_id").GetString();

        var mine = await _http.GetAsync($"/cozeZhsApi/tasks/{taskId}?user_uuid={owner.Id}");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        var data = (await IhuiApp.JsonAsync(mine)).GetProperty("data");
        Assert.Equal((taskId, "succeeded", 100), (data.GetProperty("task_id").GetString(), data.GetProperty("status").GetString(), data.GetProperty("progress").GetInt32()));
        Assert.Single(data.GetProperty("result_urls").EnumerateArray());
        Assert.Equal(5 * PerSecond, data.GetProperty("charged").GetInt64());

        var theirs = await _http.GetAsync($"/cozeZhsApi/tasks/{taskId}?user_uuid={stranger.Id}");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(404, (await IhuiApp.JsonAsync(theirs)).GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/cozeZhsApi/tasks/task_nope?user_uuid={owner.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync($"/cozeZhsApi/tasks/{taskId}")).StatusCode);
    }
}
