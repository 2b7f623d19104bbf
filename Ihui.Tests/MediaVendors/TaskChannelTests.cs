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
/// The media task vendors with three accounts each: the environment's default channel (the <see cref="MediaVendorsApp"/>
/// fakes) and two more fakes per vendor, B and C, each checking its own credentials the way the vendor does (Kling's
/// JWT from its access and secret key, Jimeng's V4 signature, Suno's bearer key). The HTTP task call answers at once.
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

    public FakeKling KlingB { get; } = new(KlingAkB, KlingSkB) { VideoDuration = MediaSliceCase.KlingReportedSeconds };
    public FakeKling KlingC { get; } = new(KlingAkC, KlingSkC) { VideoDuration = MediaSliceCase.KlingReportedSeconds };
    public FakeJimeng JimengB { get; } = new(JimengAkB, JimengSkB);
    public FakeJimeng JimengC { get; } = new(JimengAkC, JimengSkC);
    public FakeSuno SunoB { get; } = new(SunoKeyB);
    public FakeSuno SunoC { get; } = new(SunoKeyC);

    protected override int WaitSeconds => 0;

    private FakeVendor[] More => [KlingB, KlingC, JimengB, JimengC, SunoB, SunoC];

    public override async Task InitializeAsync()
    {
        foreach (var fake in More) await fake.StartAsync();
        Kling.VideoDuration = MediaSliceCase.KlingReportedSeconds;
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => base.MoreSettings()
        .Concat(ChannelTesting.Settings)
        .Concat(new Dictionary<string, string?> { ["KLING_TIMEOUT_SECONDS"] = "10", ["JIMENG_TIMEOUT_SECONDS"] = "10", ["SUNO_TIMEOUT_SECONDS"] = "10" });

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
    }
}

/// <summary>
/// Task vendors over channels: the create fails over to the next channel on each failure kind; the task remembers the
/// channel that accepted it and every poll goes to that account (the others never see a poll, even when they would now
/// be preferred); the task is charged once.
/// </summary>
public sealed class TaskChannelTests(TaskChannelsApp app) : IClassFixture<TaskChannelsApp>, IAsyncLifetime
{
    /// <summary>One vendor as these tests drive it: its seed route case, its B and C fakes and their credentials.</summary>
    private sealed record VendorCase(string Vendor, MediaSliceCase Slice, FakeVendor Default, FakeVendor B, FakeVendor C, string CredentialB,
        string CredentialC, string WrongCredential, Func<FakeVendor, int> Creates, Action<FakeVendor> Busy);

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

    private static ChannelRow Row(string vendor, string name, FakeVendor fake, int priority, int? timeoutSeconds = null) => new()
    {
        Id = Guid.NewGuid().ToString(), Vendor = vendor, Name = name, BaseUrl = fake.BaseUrl, Priority = priority, TimeoutSeconds = timeoutSeconds,
    };

    /// <summary>Submits through the seed route (answered at once) and waits for the task to end.</summary>
    private async Task<(string UserId, string TaskId, TaskRowView Task)> RunAsync(VendorCase c, Func<Task>? whileRunning = null)
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(app.CreateClient(), c.Slice.Route, c.Slice.Body(user.Id));
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
        Assert.Equal([("charge", -c.Slice.Charged), ("hold", -c.Slice.WorstCase), ("release", c.Slice.WorstCase)],
            (await app.LedgerOfAsync(taskId)).OrderBy(l => l.Kind));
        Assert.Equal(10_000 - c.Slice.Charged, await app.BalanceAsync(userId));
        Assert.Equal(10_000 - c.Slice.Charged, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    public static TheoryData<string, string, string> Failures => new()
    {
        { "kling", "503", "server_error" }, { "kling", "429", "rate_limited" }, { "kling", "connect", "unreachable" },
        { "kling", "timeout", "timeout" }, { "kling", "bad-key", "auth" }, { "kling", "busy", "rate_limited" },
        { "jimeng", "503", "server_error" }, { "jimeng", "busy", "rate_limited" }, { "jimeng", "bad-key", "auth" },
        { "suno", "500", "server_error" }, { "suno", "bad-key", "auth" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_create_fails_over_and_every_poll_goes_to_the_channel_that_accepted_it(string vendor, string failure, string outcome)
    {
        var c = Case(vendor);
        var b = Row(vendor, "b", c.B, priority: 10, timeoutSeconds: 1);
        if (failure == "connect") b = b with { BaseUrl = "http://127.0.0.1:1" };
        var cRow = Row(vendor, "c", c.C, priority: 5);
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
    public async Task A_task_is_polled_on_its_channel_even_after_an_admin_disables_that_channel(string vendor)
    {
        var c = Case(vendor);
        var bRow = Row(vendor, "b", c.B, priority: 10);
        await ChannelTesting.SetChannelsAsync(app, (bRow, c.CredentialB), (Row(vendor, "c", c.C, priority: 5), c.CredentialC));

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
        var testRoute = await ChannelTesting.AdminAsync(app, HttpMethod.Post, $"/admin/channels/{id}/test", new { });
        Assert.Equal(HttpStatusCode.BadRequest, testRoute.StatusCode);
        await using var db = await app.Services.GetRequiredService<Db>().OpenAsync();
        var stored = await db.ExecuteScalarAsync<string>("SELECT credential FROM channels WHERE id = @id", new { id });
        Leaks.AssertClean(list + text + stored + await patched.Content.ReadAsStringAsync(),
            TaskChannelsApp.KlingAkB, TaskChannelsApp.KlingSkB, wrongSecret, MediaVendorsApp.KlingAk, MediaVendorsApp.KlingSk);
        Assert.Equal("second=ok", Assert.Single(await app.CallsAsync(userId)).Channels);
    }
}
