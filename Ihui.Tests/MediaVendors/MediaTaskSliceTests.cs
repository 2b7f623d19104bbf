using System.Net;
using System.Text;
using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.MediaVendors;

/// <summary>
/// One seed 000 task route (#16–#21) as a test sees it: what to send, where the URL comes back, what the vendor must
/// have received, what it costs and how to make its vendor task fail.
/// </summary>
public sealed record MediaSliceCase(
    string Route,
    string UrlField,
    Func<string, object> Body,
    Func<MediaVendorsApp, string> ExpectedUrl,
    long WorstCase,
    long Charged,
    string Kind,
    Func<MediaVendorsApp, int> Creates,
    Action<MediaVendorsApp> CheckCreate,
    Action<MediaVendorsApp> FailTheTask,
    Action<MediaVendorsApp> FailTheCreate)
{
    // Prices × TOKEN_BASE_MULTIPLIER 2: jimeng_i2v_* 100/s, jimeng_t2v_v30_1080p 120/s, kling-o1 150/s, suno-v3 300 per task.
    public const string KlingReportedSeconds = "4.2";

    private static int JimengCreates(MediaVendorsApp app) => app.Jimeng.Received.Count(r => r.Query.Contains("Action=CVSync2AsyncSubmitTask"));
    private static int KlingCreates(MediaVendorsApp app) => app.Kling.Received.Count(r => r.Method == "POST");
    private static int SunoCreates(MediaVendorsApp app) => app.Suno.Received.Count(r => r.Path == "/suno/submit/music");

    private static JsonElement JimengCreate(MediaVendorsApp app) =>
        JsonDocument.Parse(app.Jimeng.Received.Single(r => r.Query.Contains("Action=CVSync2AsyncSubmitTask")).Body).RootElement;

    private static MediaSliceCase Jimeng(string reqKey, object extra, long worst, Action<JsonElement> check) => new(
        reqKey == "jimeng_t2v_v30_1080p"
            ? "/cozeZhsApi/proxy/volcengine/visual/jimeng_t2v_v30_1080p"
            : $"/cozeZhsApi/proxy/volcengine/visual/images/{reqKey}",
        "result_url",
        user => Merge(new { prompt = "让画面动起来", user_uuid = user, chat_id = "chat-m" }, extra),
        app => app.Jimeng.VideoUrl, worst, worst, "jimeng.video", JimengCreates,
        app =>
        {
            var body = JimengCreate(app);
            Assert.Equal(reqKey, body.GetProperty("req_key").GetString());
            Assert.Equal("让画面动起来", body.GetProperty("prompt").GetString());
            check(body);
        },
        app => app.Jimeng.Script.States = ["in_queue", "not_found"],
        app => app.Jimeng.BusinessCode = 50411);

    public static readonly IReadOnlyDictionary<string, MediaSliceCase> All = new Dictionary<string, MediaSliceCase>
    {
        ["jimeng-i2v-first"] = Jimeng("jimeng_i2v_first_v30",
            new { model = "jimeng-i2v", image_url = "https://example.com/first.png", size = "1024*1024" }, 5 * 200, body =>
            {
                Assert.Equal(["https://example.com/first.png"], body.GetProperty("image_urls").EnumerateArray().Select(u => u.GetString()));
                Assert.Equal(121, body.GetProperty("frames").GetInt32());
            }),
        ["jimeng-i2v-first-tail"] = Jimeng("jimeng_i2v_first_tail_v30",
            new { model = "jimeng-i2v-tail", image_url = "https://example.com/first.png", image_urls = new[] { "https://example.com/last.png" }, duration = 10 },
            10 * 200, body =>
            {
                Assert.Equal(["https://example.com/first.png", "https://example.com/last.png"],
                    body.GetProperty("image_urls").EnumerateArray().Select(u => u.GetString()));
                Assert.Equal(241, body.GetProperty("frames").GetInt32());
            }),
        ["jimeng-i2v-recamera"] = Jimeng("jimeng_i2v_recamera_v30",
            new { model = "jimeng-i2v-recamera", image_url = "https://example.com/first.png" }, 5 * 200,
            body => Assert.Single(body.GetProperty("image_urls").EnumerateArray())),
        ["jimeng-t2v"] = Jimeng("jimeng_t2v_v30_1080p",
            new { model = "jimeng-t2v-1080p", duration = 5, resolution = "1080p" }, 5 * 240, body =>
            {
                Assert.False(body.TryGetProperty("image_urls", out _));
                Assert.Equal("16:9", body.GetProperty("aspect_ratio").GetString());
            }),
        ["kling"] = new("/cozeZhsApi/kling/generate/o1", "video_url",
            user => new { prompt = "城市夜景", model = "kling-o1", duration = 5, user_uuid = user, chat_id = "chat-m" },
            app => app.Kling.VideoUrl, 5 * 300, 1260 /* the 4.2 s Kling reports × 300 */, "kling.text2video", KlingCreates,
            app =>
            {
                var create = app.Kling.Received.Single(r => r.Method == "POST");
                Assert.Equal("/v1/videos/text2video", create.Path);
                using var body = JsonDocument.Parse(create.Body);
                Assert.Equal(("kling-v2-6", "城市夜景", "5"), (body.RootElement.GetProperty("model_name").GetString(),
                    body.RootElement.GetProperty("prompt").GetString(), body.RootElement.GetProperty("duration").GetString()));
            },
            app => app.Kling.Script.States = ["submitted", "failed"],
            app => app.Kling.BusinessCode = 1301),
        ["suno"] = new("/suno/generate/music", "music_url",
            user => new { prompt = "关于月亮的歌", model = "suno-v3", duration = 30, style = "lofi", user_uuid = user, chat_id = "chat-m" },
            app => app.Suno.AudioUrl, 600, 600, "suno.music", SunoCreates,
            app =>
            {
                using var body = JsonDocument.Parse(app.Suno.Received.Single(r => r.Path == "/suno/submit/music").Body);
                Assert.Equal(("关于月亮的歌", "chirp-v3-0", "lofi"), (body.RootElement.GetProperty("gpt_description_prompt").GetString(),
                    body.RootElement.GetProperty("mv").GetString(), body.RootElement.GetProperty("tags").GetString()));
            },
            app => app.Suno.Script.States = ["SUBMITTED", "FAILURE"],
            app => app.Suno.Mode = FakeMode.Fail),
    };

    public static TheoryData<string> Names => [.. All.Keys];

    private static Dictionary<string, object?> Merge(object a, object b)
    {
        var merged = JsonSerializer.SerializeToElement(a).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        foreach (var p in JsonSerializer.SerializeToElement(b).EnumerateObject()) merged[p.Name] = p.Value;
        return merged;
    }
}

/// <summary>
/// Seed 000 #16–#21 through HTTP against the Jimeng, Kling and Suno fakes with the real task engine: the seed's URL field,
/// exact charges (the vendor's usage or the worst case), refunds, idempotency, 402 and 400 before any vendor call;
/// balance = Σ ledger and no hold left after every call.
/// </summary>
public sealed class MediaTaskSliceTests : IClassFixture<MediaTasksApp>, IDisposable
{
    private readonly MediaTasksApp _app;
    private readonly HttpClient _http;

    public MediaTaskSliceTests(MediaTasksApp app)
    {
        _app = app;
        _http = app.CreateClient();
        app.Kling.VideoDuration = MediaSliceCase.KlingReportedSeconds;
    }

    public void Dispose()
    {
        _app.ResetFakes();
    }

    private async Task AssertBalancedAsync(string userId, long expected)
    {
        Assert.Equal(expected, await _app.BalanceAsync(userId));
        Assert.Equal(expected, await _app.LedgerSumAsync(userId));
        Assert.Equal(0, await _app.HoldCountAsync(userId));
    }

    [Theory]
    [MemberData(nameof(MediaSliceCase.Names), MemberType = typeof(MediaSliceCase))]
    public async Task A_finished_task_answers_the_seed_url_field_and_charges_exactly(string name)
    {
        var c = MediaSliceCase.All[name];
        var user = await _app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, c.Route, c.Body(user.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        var data = json.GetProperty("data");
        Assert.Equal(c.ExpectedUrl(_app), data.GetProperty(c.UrlField).GetString());
        Assert.Equal("succeeded", data.GetProperty("status").GetString());
        Assert.Equal(c.Charged, data.GetProperty("consume_token").GetInt64());
        var taskId = data.GetProperty("task_id").GetString()!;
        Assert.StartsWith("task_", taskId);

        var task = await _app.TaskAsync(taskId);
        Assert.Equal((c.Kind, "succeeded", c.WorstCase, c.Charged), (task!.Kind, task.Status, task.Reserved, task.Charged));
        Assert.Equal([("charge", -c.Charged), ("hold", -c.WorstCase), ("release", c.WorstCase)], (await _app.LedgerOfAsync(taskId)).OrderBy(l => l.Kind));
        await AssertBalancedAsync(user.Id, 10_000 - c.Charged);

        Assert.Equal(1, c.Creates(_app));
        c.CheckCreate(_app);
        var call = Assert.Single(await _app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", c.Kind, c.WorstCase), (call.Status, call.Vendor, call.Reserved));
    }

    [Theory]
    [MemberData(nameof(MediaSliceCase.Names), MemberType = typeof(MediaSliceCase))]
    public async Task A_failed_vendor_task_is_502_and_refunded_in_full(string name)
    {
        var c = MediaSliceCase.All[name];
        c.FailTheTask(_app);
        var user = await _app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, c.Route, c.Body(user.Id));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(502, json.GetProperty("code").GetInt32());
        Assert.Contains("nothing was charged", json.GetProperty("msg").GetString());
        Assert.Equal(1, c.Creates(_app));
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task A_task_the_vendor_lets_expire_is_408_and_refunded()
    {
        var c = MediaSliceCase.All["jimeng-t2v"];
        _app.Jimeng.Script.States = ["in_queue", "generating", "expired"];
        var user = await _app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, c.Route, c.Body(user.Id));

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Contains("did not finish in time", json.GetProperty("msg").GetString());
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Theory]
    [MemberData(nameof(MediaSliceCase.Names), MemberType = typeof(MediaSliceCase))]
    public async Task A_refused_vendor_create_is_an_error_and_refunded(string name)
    {
        var c = MediaSliceCase.All[name];
        c.FailTheCreate(_app);
        var user = await _app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, c.Route, c.Body(user.Id), idempotencyKey: "k-create-" + name);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(502, json.GetProperty("code").GetInt32());
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Theory]
    [MemberData(nameof(MediaSliceCase.Names), MemberType = typeof(MediaSliceCase))]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_same_task_and_charges_once(string name)
    {
        var c = MediaSliceCase.All[name];
        var user = await _app.CreateUserAsync(10_000);
        var (r1, first) = await TasksApp.PostAsync(_http, c.Route, c.Body(user.Id), idempotencyKey: "k-" + name);
        var (r2, second) = await TasksApp.PostAsync(_http, c.Route, c.Body(user.Id), idempotencyKey: "k-" + name);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (r1.StatusCode, r2.StatusCode));
        Assert.Equal(first.GetProperty("data").GetProperty("task_id").GetString(), second.GetProperty("data").GetProperty("task_id").GetString());
        Assert.Equal(c.ExpectedUrl(_app), second.GetProperty("data").GetProperty(c.UrlField).GetString());
        Assert.Equal(1, c.Creates(_app));
        await AssertBalancedAsync(user.Id, 10_000 - c.Charged);
    }

    [Theory]
    [MemberData(nameof(MediaSliceCase.Names), MemberType = typeof(MediaSliceCase))]
    public async Task A_balance_below_the_worst_case_is_402_and_the_vendor_is_not_called(string name)
    {
        var c = MediaSliceCase.All[name];
        var user = await _app.CreateUserAsync(c.WorstCase - 1);
        var (response, json) = await TasksApp.PostAsync(_http, c.Route, c.Body(user.Id));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal(402, json.GetProperty("code").GetInt32());
        Assert.Equal(0, c.Creates(_app));
        await AssertBalancedAsync(user.Id, c.WorstCase - 1);
    }

    [Theory]
    [InlineData("/cozeZhsApi/proxy/volcengine/visual/images/jimeng_t2i_v40", """{"prompt":"p","image_url":"https://e.com/a.png","user_uuid":"USER"}""", "req_key")]
    [InlineData("/cozeZhsApi/proxy/volcengine/visual/images/jimeng_t2v_v30_1080p", """{"prompt":"p","user_uuid":"USER"}""", "req_key")]
    [InlineData("/cozeZhsApi/proxy/volcengine/visual/images/jimeng_i2v_first_v30", """{"image_url":"https://e.com/a.png","user_uuid":"USER"}""", "prompt")]
    [InlineData("/cozeZhsApi/proxy/volcengine/visual/images/jimeng_i2v_first_v30", """{"prompt":"p","user_uuid":"USER"}""", "image_url")]
    [InlineData("/cozeZhsApi/proxy/volcengine/visual/images/jimeng_i2v_first_v30", """{"prompt":"p","image_url":"file:///etc/passwd","user_uuid":"USER"}""", "image_url")]
    [InlineData("/cozeZhsApi/proxy/volcengine/visual/images/jimeng_i2v_first_tail_v30", """{"prompt":"p","image_url":"https://e.com/a.png","user_uuid":"USER"}""", "image_url")]
    [InlineData("/cozeZhsApi/proxy/volcengine/visual/images/jimeng_i2v_recamera_v30", """{"prompt":"p","image_url":"https://e.com/a.png","duration":7,"user_uuid":"USER"}""", "duration")]
    [InlineData("/cozeZhsApi/proxy/volcengine/visual/jimeng_t2v_v30_1080p", """{"prompt":"p","resolution":"720p","user_uuid":"USER"}""", "resolution")]
    [InlineData("/cozeZhsApi/proxy/volcengine/visual/jimeng_t2v_v30_1080p", """{"prompt":"p","duration":"five","user_uuid":"USER"}""", "JSON")]
    [InlineData("/cozeZhsApi/kling/generate/o1", """{"prompt":"","user_uuid":"USER"}""", "prompt")]
    [InlineData("/cozeZhsApi/kling/generate/o1", """{"prompt":"p","model":"gpt-4o","user_uuid":"USER"}""", "model")]
    [InlineData("/cozeZhsApi/kling/generate/o1", """{"prompt":"p","model":"kling-unmapped","user_uuid":"USER"}""", "kling-unmapped")]
    [InlineData("/cozeZhsApi/kling/generate/o1", """{"prompt":"p","duration":8,"user_uuid":"USER"}""", "duration")]
    [InlineData("/suno/generate/music", """{"prompt":"p","model":"suno-v9","user_uuid":"USER"}""", "model")]
    [InlineData("/suno/generate/music", """{"style":"pop","user_uuid":"USER"}""", "prompt")]
    [InlineData("/suno/generate/music", """{"prompt":"p" "user_uuid":"USER"}""", "JSON")]
    public async Task Bad_input_is_400_and_no_vendor_is_called(string route, string body, string mentions)
    {
        var user = await _app.CreateUserAsync(10_000);
        var response = await _http.PostAsync(route, new StringContent(body.Replace("USER", user.Id), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(400, json.GetProperty("code").GetInt32());
        Assert.Contains(mentions, json.GetProperty("msg").GetString());
        Assert.Empty(_app.Jimeng.Received);
        Assert.Empty(_app.Kling.Received);
        Assert.Empty(_app.Suno.Received);
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task An_unknown_user_is_401_and_an_oversize_idempotency_key_is_400_without_a_vendor_call()
    {
        var c = MediaSliceCase.All["kling"];
        var (r1, _) = await TasksApp.PostAsync(_http, c.Route, c.Body("no-such-user"));
        var user = await _app.CreateUserAsync(10_000);
        var (r2, j2) = await TasksApp.PostAsync(_http, c.Route, c.Body(user.Id), idempotencyKey: new string('k', 129));

        Assert.Equal(HttpStatusCode.Unauthorized, r1.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, r2.StatusCode);
        Assert.Contains("Idempotency-Key", j2.GetProperty("msg").GetString());
        Assert.Equal(0, c.Creates(_app));
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task The_user_uuid_may_come_in_the_query_string()
    {
        var user = await _app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, $"/suno/generate/music?user_uuid={user.Id}", new { prompt = "夏天的海" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([_app.Suno.AudioUrl], json.GetProperty("data").GetProperty("music_urls").EnumerateArray().Select(u => u.GetString()));
        await AssertBalancedAsync(user.Id, 10_000 - 600);
    }
}

/// <summary>With <c>TASK_WAIT_SECONDS=0</c> every route answers the running task's id; the task completes and is read back.</summary>
public sealed class MediaTaskSliceNoWaitTests(MediaTasksNoWaitApp app) : IClassFixture<MediaTasksNoWaitApp>, IDisposable
{
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.ResetFakes();

    [Theory]
    [MemberData(nameof(MediaSliceCase.Names), MemberType = typeof(MediaSliceCase))]
    public async Task A_running_task_answers_its_id_and_later_completes(string name)
    {
        var c = MediaSliceCase.All[name];
        app.Kling.VideoDuration = MediaSliceCase.KlingReportedSeconds;
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, c.Route, c.Body(user.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = json.GetProperty("data");
        Assert.Contains(data.GetProperty("status").GetString(), new[] { "queued", "running" });
        Assert.False(data.TryGetProperty(c.UrlField, out _));
        Assert.False(data.TryGetProperty("consume_token", out _));
        var taskId = data.GetProperty("task_id").GetString()!;
        Assert.Contains(("hold", -c.WorstCase), await app.LedgerOfAsync(taskId)); // held from the submit on

        await app.WaitForTaskAsync(taskId, t => t.Status == "succeeded");
        var read = await _http.GetAsync($"/cozeZhsApi/tasks/{taskId}?user_uuid={user.Id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var task = (await IhuiApp.JsonAsync(read)).GetProperty("data");
        Assert.Equal("succeeded", task.GetProperty("status").GetString());
        Assert.Equal([c.ExpectedUrl(app)], task.GetProperty("result_urls").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal((c.WorstCase, c.Charged), (task.GetProperty("reserved").GetInt64(), task.GetProperty("charged").GetInt64()));
        Assert.Equal(10_000 - c.Charged, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000 - c.Charged, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }
}
