using System.Net;
using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Vendors.Channels;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Ihui.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.MediaVendors;

/// <summary>
/// The task vendors with three accounts each: the environment's default channel (the <see cref="MediaVendorsApp"/>
/// fakes; for Ark, DashScope and Luyala's native task APIs their task fakes) and two more fakes per vendor, B and C, each
/// checking its own credentials the way the vendor does (Kling's JWT from its access and secret key, Jimeng's V4
/// signature, a bearer key for the others). The HTTP task call answers at once.
/// </summary>
public sealed class TaskChannelsApp : MediaTasksApp
{
    public const string KlingAkB = "kling-ak-b-0123456789abcdef01";
    public const string KlingSkB = "kling-sk-b-fedcba9876543210ff";
    public const string KlingAkC = "kling-ak-c-0123456789abcdef02";
    public const string KlingSkC = "kling-sk-c-fedcba9876543210ee";
    public const string JimengAkB = "AKLTjimengb0123456789abcdef";
    public const string JimengSkB = "c2VjcmV0LWppbWVuZy1iLTAxMjM0NTY3ODk=";
    public const string JimengAkC = "AKLTjimengc0123456789abcdef";
    public const string JimengSkC = "c2VjcmV0LWppbWVuZy1jLTAxMjM0NTY3ODk=";
    public const string SunoKeyB = "sk-test-suno-b-0123456789";
    public const string SunoKeyC = "sk-test-suno-c-0123456789";
    public const string ArkKey = "ark-test-key-a-0123456789";
    public const string ArkKeyB = "ark-test-key-b-0123456789";
    public const string ArkKeyC = "ark-test-key-c-0123456789";
    public const string DashScopeKeyB = "sk-test-dashscope-b-0123456789";
    public const string DashScopeKeyC = "sk-test-dashscope-c-0123456789";
    public const string LuyalaVideoKey = "sk-test-luyala-video-a-0123456789";
    public const string LuyalaKeyB = "sk-test-luyala-video-b-0123456789";
    public const string LuyalaKeyC = "sk-test-luyala-video-c-0123456789";
    public const int LuyalaSeconds = 8;

    public FakeKling KlingB { get; } = new(KlingAkB, KlingSkB) { VideoDuration = MediaSliceCase.KlingReportedSeconds };
    public FakeKling KlingC { get; } = new(KlingAkC, KlingSkC) { VideoDuration = MediaSliceCase.KlingReportedSeconds };
    public FakeJimeng JimengB { get; } = new(JimengAkB, JimengSkB);
    public FakeJimeng JimengC { get; } = new(JimengAkC, JimengSkC);
    public FakeSuno SunoB { get; } = new(SunoKeyB);
    public FakeSuno SunoC { get; } = new(SunoKeyC);
    public FakeArk Ark { get; } = new(ArkKey);
    public FakeArk ArkB { get; } = new(ArkKeyB);
    public FakeArk ArkC { get; } = new(ArkKeyC);
    public FakeDashScopeTasks DashScopeTasks { get; } = new(DashScopeKey);
    public FakeDashScopeTasks DashScopeB { get; } = new(DashScopeKeyB);
    public FakeDashScopeTasks DashScopeC { get; } = new(DashScopeKeyC);
    public FakeLuyalaVideo LuyalaVideo { get; } = new(LuyalaVideoKey);
    public FakeLuyalaVideo LuyalaB { get; } = new(LuyalaKeyB);
    public FakeLuyalaVideo LuyalaC { get; } = new(LuyalaKeyC);

    protected override int WaitSeconds => 0;

    private FakeVendor[] More => [KlingB, KlingC, JimengB, JimengC, SunoB, SunoC, Ark, ArkB, ArkC, DashScopeTasks, DashScopeB, DashScopeC, LuyalaVideo, LuyalaB, LuyalaC];

    public override async Task InitializeAsync()
    {
        foreach (var fake in More) await fake.StartAsync();
        Kling.VideoDuration = MediaSliceCase.KlingReportedSeconds;
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => base.MoreSettings()
        .Concat(ChannelTesting.Settings)
        .Concat(new Dictionary<string, string?>
        {
            ["KLING_TIMEOUT_SECONDS"] = "10", ["JIMENG_TIMEOUT_SECONDS"] = "10", ["SUNO_TIMEOUT_SECONDS"] = "10",
            ["DOUBAO_API_KEY"] = ArkKey, ["DOUBAO_BASE_URL"] = Ark.BaseUrl + "/api/v3", ["DOUBAO_TIMEOUT_SECONDS"] = "10",
            ["DASHSCOPE_BASE_URL"] = DashScopeTasks.BaseUrl, ["DASHSCOPE_TIMEOUT_SECONDS"] = "10",
            // Luyala's default channel is its video fake here (its chat fake answers no video route).
            ["LUYALA_API_KEY"] = LuyalaVideoKey, ["LUYALA_BASE_URL"] = LuyalaVideo.BaseUrl + "/v1", ["LUYALA_TIMEOUT_SECONDS"] = "10",
            ["LUYALA_VIDEO_SECONDS"] = LuyalaSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    protected override async Task DisposeFakesAsync()
    {
        await base.DisposeFakesAsync();
        foreach (var fake in More) await fake.DisposeAsync();
    }

    public void ResetAll()
    {
        ResetFakes();
        KlingB.Reset();
        KlingC.Reset();
        JimengB.Reset();
        JimengC.Reset();
        SunoB.Reset();
        SunoC.Reset();
        foreach (var fake in (FakeVendor[])[Ark, ArkB, ArkC, DashScopeTasks, DashScopeB, DashScopeC, LuyalaVideo, LuyalaB, LuyalaC]) fake.Reset();
    }
}

/// <summary>
/// Task vendors over channels: the create fails over to the next channel on each failure kind; the task remembers the
/// channel that accepted it and every poll goes to that account (the others never see a poll, even when they would now
/// be preferred); the task is charged once.
/// </summary>
public sealed class TaskChannelTests(TaskChannelsApp app) : IClassFixture<TaskChannelsApp>, IAsyncLifetime
{
    /// <summary>
    /// One vendor as these tests drive it: a seed route that makes one of its tasks (what to send, the worst case held and
    /// the charge), its default, B and C fakes and their credentials, and the path its base URLs end in.
    /// </summary>
    private sealed record VendorCase(string Vendor, string Route, Func<string, object> Body, long WorstCase, long Charged, FakeVendor Default,
        FakeVendor B, FakeVendor C, string CredentialB, string CredentialC, string WrongCredential, Func<FakeVendor, int> Creates,
        Action<FakeVendor> Busy, string BasePath = "")
    {
        public VendorCase(string vendor, MediaSliceCase slice, FakeVendor @default, FakeVendor b, FakeVendor c, string credentialB, string credentialC,
            string wrongCredential, Func<FakeVendor, int> creates, Action<FakeVendor> busy)
            : this(vendor, slice.Route, slice.Body, slice.WorstCase, slice.Charged, @default, b, c, credentialB, credentialC, wrongCredential, creates, busy)
        {
        }
    }

    // Prices × TOKEN_BASE_MULTIPLIER 2: doubao-seedance 100/s (5 s by default, as reported), qwen-image-plus 200 an image,
    // luyala-video 200/s for LUYALA_VIDEO_SECONDS.
    private const long ArkCost = 5 * 100;
    private const long DashScopeCost = 200;
    private const long LuyalaCost = TaskChannelsApp.LuyalaSeconds * 200;

    private VendorCase Case(string vendor) => vendor switch
    {
        "kling" => new("kling", MediaSliceCase.All["kling"], app.Kling, app.KlingB, app.KlingC,
            ChannelStore.Pack(TaskChannelsApp.KlingAkB, TaskChannelsApp.KlingSkB), ChannelStore.Pack(TaskChannelsApp.KlingAkC, TaskChannelsApp.KlingSkC),
            ChannelStore.Pack(TaskChannelsApp.KlingAkB, "not-the-secret-of-b-0123456789"),
            f => f.Received.Count(r => r.Method == "POST"), f => ((FakeKling)f).BusinessCode = 1303),
        "jimeng" => new("jimeng", MediaSliceCase.All["jimeng-t2v"], app.Jimeng, app.JimengB, app.JimengC,
            ChannelStore.Pack(TaskChannelsApp.JimengAkB, TaskChannelsApp.JimengSkB), ChannelStore.Pack(TaskChannelsApp.JimengAkC, TaskChannelsApp.JimengSkC),
            ChannelStore.Pack(TaskChannelsApp.JimengAkB, "bm90LXRoZS1zZWNyZXQtb2YtYi0wMTIzNDU2Nzg5"),
            f => f.Received.Count(r => r.Query.Contains("Action=CVSync2AsyncSubmitTask")), f => ((FakeJimeng)f).BusinessCode = 50429),
        "suno" => new("suno", MediaSliceCase.All["suno"], app.Suno, app.SunoB, app.SunoC, TaskChannelsApp.SunoKeyB, TaskChannelsApp.SunoKeyC,
            "sk-wrong-suno-b-0123456789", f => f.Received.Count(r => r.Path == "/suno/submit/music"), _ => throw new NotSupportedException()),
        "doubao" => new("doubao", "/cozeZhsApi/proxy/video-generation",
            user => new { prompt = "一只猫在草地上奔跑", images = new[] { "https://example.com/first.png" }, user_uuid = user, chat_id = "chat-v" },
            ArkCost, ArkCost, app.Ark, app.ArkB, app.ArkC, TaskChannelsApp.ArkKeyB, TaskChannelsApp.ArkKeyC, "ark-wrong-key-b-0123456789",
            f => ((FakeArk)f).Creates, _ => throw new NotSupportedException(), "/api/v3"),
        "dashscope" => new("dashscope", "/cozeZhsApi/dashscope/image/generate/qwen-image-plus",
            user => new { prompt = "一只戴帽子的柴犬", model = "qwen-image-plus", size = "1024*1024", n = 1, user_uuid = user, chat_id = "c1" },
            DashScopeCost, DashScopeCost, app.DashScopeTasks, app.DashScopeB, app.DashScopeC, TaskChannelsApp.DashScopeKeyB,
            TaskChannelsApp.DashScopeKeyC, "sk-wrong-dashscope-b-0123456789", f => f.Received.Count(r => r.Method == "POST"),
            _ => throw new NotSupportedException()),
        "luyala" => new("luyala", "/cozeZhsApi/luyala/video/create",
            user => new { prompt = "一只柴犬在雪地里奔跑，电影感", user_uuid = user, chat_id = "chat-luyala" },
            LuyalaCost, LuyalaCost, app.LuyalaVideo, app.LuyalaB, app.LuyalaC, TaskChannelsApp.LuyalaKeyB, TaskChannelsApp.LuyalaKeyC,
            "sk-wrong-luyala-b-0123456789", f => ((FakeLuyalaVideo)f).Creates, _ => throw new NotSupportedException(), "/v1"),
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };

    public Task InitializeAsync()
    {
        app.ResetAll();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        app.ResetAll();
        await ChannelTesting.SetChannelsAsync(app);
    }

    private static ChannelRow Row(VendorCase c, string name, FakeVendor fake, int priority, int? timeoutSeconds = null) => new()
    {
        Id = Guid.NewGuid().ToString(), Vendor = c.Vendor, Name = name, BaseUrl = fake.BaseUrl + c.BasePath, Priority = priority, TimeoutSeconds = timeoutSeconds,
    };

    /// <summary>Submits through the seed route (answered at once) and waits for the task to end.</summary>
    private async Task<(string UserId, string TaskId, TaskRowView Task)> RunAsync(VendorCase c, Func<Task>? whileRunning = null)
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(app.CreateClient(), c.Route, c.Body(user.Id));
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        var taskId = json.GetProperty("data").GetProperty("task_id").GetString()!;
        if (whileRunning is not null) await whileRunning();
        var task = await app.WaitForTaskAsync(taskId, t => t.Status is not ("queued" or "running"));
        return (user.Id, taskId, task);
    }

    private async Task<string?> ChannelOfAsync(string taskId)
    {
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<string?>("SELECT channel_id FROM tasks WHERE id = @taskId", new { taskId });
    }

    private async Task AssertChargedOnceAsync(VendorCase c, string userId, string taskId)
    {
        Assert.Equal([("charge", -c.Charged), ("hold", -c.WorstCase), ("release", c.WorstCase)],
            (await app.LedgerOfAsync(taskId)).OrderBy(l => l.Kind));
        Assert.Equal(10_000 - c.Charged, await app.BalanceAsync(userId));
        Assert.Equal(10_000 - c.Charged, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    public static TheoryData<string, string, string> Failures => new()
    {
        { "kling", "503", "server_error" }, { "kling", "429", "rate_limited" }, { "kling", "connect", "unreachable" },
        { "kling", "timeout", "timeout" }, { "kling", "bad-key", "auth" }, { "kling", "busy", "rate_limited" },
        { "jimeng", "503", "server_error" }, { "jimeng", "busy", "rate_limited" }, { "jimeng", "bad-key", "auth" },
        { "suno", "500", "server_error" }, { "suno", "bad-key", "auth" },
        { "doubao", "503", "server_error" }, { "doubao", "429", "rate_limited" }, { "doubao", "bad-key", "auth" },
        { "dashscope", "500", "server_error" }, { "dashscope", "429", "rate_limited" }, { "dashscope", "bad-key", "auth" },
        { "luyala", "502", "server_error" }, { "luyala", "429", "rate_limited" }, { "luyala", "bad-key", "auth" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_create_fails_over_and_every_poll_goes_to_the_channel_that_accepted_it(string vendor, string failure, string outcome)
    {
        var c = Case(vendor);
        var b = Row(c, "b", c.B, priority: 10, timeoutSeconds: 1);
        if (failure == "connect") b = b with { BaseUrl = "http://127.0.0.1:1" };
        var cRow = Row(c, "c", c.C, priority: 5);
        await ChannelTesting.SetChannelsAsync(app, (b, failure == "bad-key" ? c.WrongCredential : c.CredentialB), (cRow, c.CredentialC));
        switch (failure)
        {
            case "timeout": c.B.Mode = FakeMode.Hang; break;
            case "busy": c.Busy(c.B); break;
            case "connect" or "bad-key": break;
            default: (c.B.Mode, c.B.FailStatus) = (FakeMode.Fail, int.Parse(failure)); break;
        }

        var (userId, taskId, task) = await RunAsync(c, () =>
        {
            // B is healthy again and would be chosen first for a new call: the task's polls must still go to C.
            c.B.Mode = FakeMode.Normal;
            if (c.B is FakeKling k) k.BusinessCode = null;
            if (c.B is FakeJimeng j) j.BusinessCode = null;
            return Task.CompletedTask;
        });

        Assert.Equal("succeeded", task.Status);
        Assert.Equal(cRow.Id, await ChannelOfAsync(taskId));
        Assert.Equal(failure == "connect" ? 0 : 1, c.B.Received.Length); // the failed create, and not one poll
        Assert.Equal(1, c.Creates(c.C));
        Assert.True(c.C.Received.Length >= 3, $"C saw {c.C.Received.Length} requests"); // the create and every poll to the end
        Assert.Empty(c.Default.Received);
        var call = Assert.Single(await app.CallsAsync(userId));
        Assert.Equal($"b={outcome},c=ok", call.Channels);
        await AssertChargedOnceAsync(c, userId, taskId);
        if (failure == "bad-key")
        {
            var disabled = Assert.Single(app.Services.GetRequiredService<ChannelRouter>().ChannelsOf(vendor), ch => ch.Name == "b");
            Assert.False(disabled.Enabled);
            Assert.Contains("refused the credentials", disabled.DisabledReason);
        }
    }

    [Theory]
    [InlineData("kling")]
    [InlineData("jimeng")]
    [InlineData("suno")]
    [InlineData("doubao")]
    [InlineData("dashscope")]
    [InlineData("luyala")]
    public async Task A_task_is_polled_on_its_channel_even_after_an_admin_disables_that_channel(string vendor)
    {
        var c = Case(vendor);
        var bRow = Row(c, "b", c.B, priority: 10);
        await ChannelTesting.SetChannelsAsync(app, (bRow, c.CredentialB), (Row(c, "c", c.C, priority: 5), c.CredentialC));

        var (userId, taskId, task) = await RunAsync(c, async () =>
        {
            var disabled = await ChannelTesting.AdminAsync(app, HttpMethod.Post, $"/admin/channels/{bRow.Id}/disable", new { reason = "draining" });
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        });

        Assert.Equal("succeeded", task.Status);
        Assert.Equal(bRow.Id, await ChannelOfAsync(taskId));
        Assert.Empty(c.C.Received);
        Assert.Empty(c.Default.Received);
        Assert.True(c.B.Received.Length >= 3, $"B saw {c.B.Received.Length} requests");
        Assert.Equal("b=ok", Assert.Single(await app.CallsAsync(userId)).Channels);
        await AssertChargedOnceAsync(c, userId, taskId);
    }

    [Fact]
    public async Task With_only_the_environments_channel_the_task_is_recorded_and_polled_there()
    {
        var c = Case("kling");
        var (_, taskId, task) = await RunAsync(c);
        Assert.Equal(("succeeded", "env-kling"), (task.Status, await ChannelOfAsync(taskId)));
        Assert.True(c.Default.Received.Length >= 3);
        Assert.Empty(c.B.Received);
        Assert.Empty(c.C.Received);
    }

    [Fact]
    public async Task An_admin_adds_a_kling_channel_with_its_access_and_secret_key_which_are_never_shown()
    {
        var missing = await ChannelTesting.AdminAsync(app, HttpMethod.Post, "/admin/channels", new
        {
            vendor = "kling", name = "second", base_url = app.KlingB.BaseUrl, api_key = TaskChannelsApp.KlingAkB,
        });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("secret_key", await missing.Content.ReadAsStringAsync());
        var stray = await ChannelTesting.AdminAsync(app, HttpMethod.Post, "/admin/channels", new
        {
            vendor = "suno", name = "second", base_url = app.SunoB.BaseUrl, api_key = TaskChannelsApp.SunoKeyB, secret_key = "sk-not-for-suno-0123456789",
        });
        Assert.Equal(HttpStatusCode.BadRequest, stray.StatusCode);

        var created = await ChannelTesting.AdminAsync(app, HttpMethod.Post, "/admin/channels", new
        {
            vendor = "kling", name = "second", base_url = app.KlingB.BaseUrl, api_key = TaskChannelsApp.KlingAkB, secret_key = TaskChannelsApp.KlingSkB,
            priority = 10,
        });
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.IsSuccessStatusCode, text);
        var view = JsonDocument.Parse(text).RootElement.GetProperty("data");
        Assert.Equal("****" + TaskChannelsApp.KlingAkB[^4..], view.GetProperty("api_key").GetString());
        Assert.Equal("****" + TaskChannelsApp.KlingSkB[^4..], view.GetProperty("secret_key").GetString());
        var id = view.GetProperty("id").GetString()!;

        // Its JWT is signed with its own pair: the fake of that account accepts the create and every poll.
        var (userId, taskId, task) = await RunAsync(Case("kling"));
        Assert.Equal(("succeeded", id), (task.Status, await ChannelOfAsync(taskId)));
        Assert.True(app.KlingB.Received.Length >= 3);
        Assert.Empty(app.Kling.Received);

        // A new secret alone keeps the access key; the list never shows either in full.
        var wrongSecret = "kling-sk-b-rotated-wrong-000000";
        var patched = await ChannelTesting.AdminAsync(app, new HttpMethod("PATCH"), $"/admin/channels/{id}", new { secret_key = wrongSecret });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var channel = Assert.Single(app.Services.GetRequiredService<ChannelRouter>().ChannelsOf("kling"), ch => ch.Id == id);
        Assert.Equal("****" + TaskChannelsApp.KlingAkB[^4..], Features.Admin.ChannelView.Of(channel).ApiKey);
        var list = await (await ChannelTesting.AdminAsync(app, HttpMethod.Get, "/admin/channels")).Content.ReadAsStringAsync();
        // The test signs with the new pair: Kling refuses it, and the channel is disabled.
        var tested = await ChannelTesting.DataAsync(await ChannelTesting.AdminAsync(app, HttpMethod.Post, $"/admin/channels/{id}/test", new { }));
        Assert.Equal((false, 502, false), (tested.GetProperty("ok").GetBoolean(), tested.GetProperty("status").GetInt32(),
            tested.GetProperty("channel").GetProperty("enabled").GetBoolean()));
        await using var db = await app.Services.GetRequiredService<Db>().OpenAsync();
        var stored = await db.ExecuteScalarAsync<string>("SELECT credential FROM channels WHERE id = @id", new { id });
        Leaks.AssertClean(list + text + stored + await patched.Content.ReadAsStringAsync() + tested.GetRawText(),
            TaskChannelsApp.KlingAkB, TaskChannelsApp.KlingSkB, wrongSecret, MediaVendorsApp.KlingAk, MediaVendorsApp.KlingSk);
        Assert.Equal("second=ok", Assert.Single(await app.CallsAsync(userId)).Channels);
    }
    /// <summary>The query each task vendor's channel test must have sent: method, path (and query), and the task id in it.</summary>
    private static void AssertNoSuchTaskQuery(string vendor, RecordedRequest r)
    {
        switch (vendor)
        {
            case "kling":
                Assert.Equal(("GET", $"/v1/videos/text2video/{ChannelProbes.NoSuchTask}"), (r.Method, r.Path));
                break;
            case "jimeng":
                Assert.Equal(("POST", "?Action=CVSync2AsyncGetResult&Version=2022-08-31"), (r.Method, r.Query));
                using (var body = JsonDocument.Parse(r.Body))
                    Assert.Equal((ChannelProbes.NoSuchTask, "jimeng_t2v_v30_1080p"),
                        (body.RootElement.GetProperty("task_id").GetString(), body.RootElement.GetProperty("req_key").GetString()));
                break;
            default:
                Assert.Equal(("POST", "/suno/fetch"), (r.Method, r.Path));
                using (var body = JsonDocument.Parse(r.Body))
                    Assert.Equal([ChannelProbes.NoSuchTask], body.RootElement.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
                break;
        }
    }

    [Theory]
    [InlineData("kling", null, "1203")]
    [InlineData("jimeng", "jimeng_t2v_v30_1080p", "not_found")]
    [InlineData("suno", null, "no such task")]
    public async Task A_task_vendors_channel_test_asks_that_channel_for_a_task_that_cannot_exist_and_a_refused_key_disables_it(
        string vendor, string? model, string answer)
    {
        var c = Case(vendor);
        var good = Row(c, "b", c.B, priority: 10);
        var refused = Row(c, "c", c.B, priority: 5); // B's account with a wrong key (Kling, Jimeng: a wrong secret)
        await ChannelTesting.SetChannelsAsync(app, (good, c.CredentialB), (refused, c.WrongCredential));

        var ok = await ChannelTesting.DataAsync(await ChannelTesting.AdminAsync(app, HttpMethod.Post, $"/admin/channels/{good.Id}/test", new { }));
        Assert.True(ok.GetProperty("ok").GetBoolean(), ok.GetRawText());
        Assert.Equal(model, ok.TryGetProperty("model", out var m) ? m.GetString() : null); // null members are left out
        Assert.Contains(answer, ok.GetProperty("reply").GetString());
        Assert.False(ok.TryGetProperty("status", out _));
        Assert.True(ok.GetProperty("channel").GetProperty("enabled").GetBoolean());
        AssertNoSuchTaskQuery(vendor, Assert.Single(c.B.Received));

        var no = await ChannelTesting.DataAsync(await ChannelTesting.AdminAsync(app, HttpMethod.Post, $"/admin/channels/{refused.Id}/test", new { }));
        Assert.False(no.GetProperty("ok").GetBoolean());
        Assert.Equal(502, no.GetProperty("status").GetInt32());
        Assert.Contains("credentials of channel 'c'", no.GetProperty("error").GetString());
        Assert.False(no.GetProperty("channel").GetProperty("enabled").GetBoolean());
        Assert.Contains("refused the credentials", no.GetProperty("channel").GetProperty("disabled_reason").GetString());
        Assert.False(Assert.Single(app.Services.GetRequiredService<ChannelRouter>().ChannelsOf(vendor), ch => ch.Id == refused.Id).Enabled);
        Assert.Equal(2, c.B.Received.Length);
        AssertNoSuchTaskQuery(vendor, c.B.Received[1]);

        // Only queries: nothing was created on any account, and nobody was charged.
        Assert.Equal(0, c.Creates(c.B));
        Assert.Empty(c.C.Received);
        Assert.Empty(c.Default.Received);
        await using var db = await app.Services.GetRequiredService<Db>().OpenAsync();
        var audit = (await db.QueryAsync<(string Action, string Target, string Detail)>(
            "SELECT action, target, detail FROM admin_audit WHERE target IN (@b, @c) ORDER BY created_at, id",
            new { b = $"{vendor}/b", c = $"{vendor}/c" })).ToList();
        var modelPart = model is null ? "" : $"model={model} ";
        Assert.Equal([("channel_test", $"{vendor}/b", $"query=no-such-task {modelPart}ok=True"),
            ("channel_test", $"{vendor}/c", $"query=no-such-task {modelPart}ok=False status=502")], audit);
        Leaks.AssertClean(ok.GetRawText() + no.GetRawText() + string.Join("\n", audit),
            TaskChannelsApp.KlingAkB, TaskChannelsApp.KlingSkB, "not-the-secret-of-b-0123456789", TaskChannelsApp.JimengAkB, TaskChannelsApp.JimengSkB,
            "bm90LXRoZS1zZWNyZXQtb2YtYi0wMTIzNDU2Nzg5", TaskChannelsApp.SunoKeyB, "sk-wrong-suno-b-0123456789");
    }

    [Fact]
    public async Task A_jimeng_channel_test_asks_with_the_req_key_that_account_knows()
    {
        var c = Case("jimeng");
        var row = Row(c, "b", c.B, priority: 10) with { Models = """{"jimeng_i2v_first_v30":"jimeng_i2v_first_v30_1080"}""" };
        await ChannelTesting.SetChannelsAsync(app, (row, c.CredentialB));

        var ok = await ChannelTesting.DataAsync(await ChannelTesting.AdminAsync(app, HttpMethod.Post, $"/admin/channels/{row.Id}/test", new { }));

        Assert.Equal((true, "jimeng_i2v_first_v30"), (ok.GetProperty("ok").GetBoolean(), ok.GetProperty("model").GetString()));
        using var body = JsonDocument.Parse(Assert.Single(c.B.Received).Body);
        Assert.Equal("jimeng_i2v_first_v30_1080", body.RootElement.GetProperty("req_key").GetString());
    }
}
