using System.Net;
using Ihui.Features.Common.Tasks;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Tasks;

/// <summary>Several instances on one database: leases, restarts, exactly-once settlement.</summary>
public sealed class TaskClusterTests(TasksClusterApp app) : IClassFixture<TasksClusterApp>, IDisposable
{
    private const string Route = "/cozeZhsApi/proxy/video-generation";
    private const long WorstCase = 5 * 100;
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose()
    {
        app.Ark.Reset();
        app.Ark.Hold = false;
    }

    private async Task<string> SubmitAsync(string userId, string prompt = "城市夜景延时摄影")
    {
        var (response, json) = await TasksApp.PostAsync(_http, Route, new { prompt, user_uuid = userId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return json.GetProperty("data").GetProperty("task_id").GetString()!;
    }

    [Fact]
    public async Task Without_waiting_the_answer_is_the_task_id_and_status_and_a_poller_finishes_it_later()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Route, new { prompt = "日出", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = json.GetProperty("data");
        Assert.Equal("queued", data.GetProperty("status").GetString());
        Assert.False(data.TryGetProperty("video_url", out _));
        var taskId = data.GetProperty("task_id").GetString()!;
        Assert.Equal(WorstCase, await app.HoldCountAsync(user.Id) * WorstCase);
        Assert.Equal(10_000 - WorstCase, await app.BalanceAsync(user.Id));

        await using var host = await app.StartHostAsync();
        var done = await app.WaitForTaskAsync(taskId, t => t.Status == "succeeded");
        Assert.Equal(WorstCase, done.Charged);
        Assert.Equal(10_000 - WorstCase, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000 - WorstCase, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }

    [Fact]
    public async Task A_poller_killed_mid_task_is_replaced_after_its_lease_and_the_task_settles_exactly_once()
    {
        var user = await app.CreateUserAsync(10_000);
        app.Ark.Hold = true;
        var taskId = await SubmitAsync(user.Id);
        var vendorId = (await app.TaskAsync(taskId))!.VendorTaskId!;

        var first = await app.StartHostAsync();
        await TasksApp.Eventually(() => app.Ark.TaskFor(vendorId).Polls.Count >= 3);
        // The next poll hangs at the vendor; the host dies while it holds the task's lease.
        app.Ark.Mode = FakeMode.Slow;
        app.Ark.Delay = TimeSpan.FromSeconds(30);
        int Arrived() => app.Ark.Received.Count(r => r.Method == "GET" && r.Path.EndsWith(vendorId, StringComparison.Ordinal));
        var polls = Arrived();
        await TasksApp.Eventually(() => Arrived() > polls);
        var leased = (await app.TaskAsync(taskId))!;
        Assert.NotNull(leased.LeaseOwner);
        var leaseUntil = DateTime.SpecifyKind(leased.LeaseUntil!.Value, DateTimeKind.Utc);
        await first.DisposeAsync();

        app.Ark.Mode = FakeMode.Normal;
        app.Ark.Hold = false;
        var pollsBeforeRestart = app.Ark.TaskFor(vendorId).Polls.Count;
        await using var second = await app.StartHostAsync();
        var done = await app.WaitForTaskAsync(taskId, t => t.Status == "succeeded");

        var resumedAt = app.Ark.TaskFor(vendorId).Polls.Skip(pollsBeforeRestart).First();
        Assert.True(resumedAt >= leaseUntil.AddMilliseconds(-50),
            $"the task was taken over at {resumedAt:O}, before the dead poller's lease ran out at {leaseUntil:O}");
        Assert.Equal(WorstCase, done.Charged);
        var ledger = await app.LedgerOfAsync(taskId);
        Assert.Single(ledger, l => l.Kind == "charge");
        Assert.Single(ledger, l => l.Kind == "hold");
        Assert.Equal(10_000 - WorstCase, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000 - WorstCase, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task Two_instances_on_one_database_never_poll_the_same_task_twice_at_once()
    {
        var user = await app.CreateUserAsync(100_000);
        var taskIds = new List<string>();
        for (var i = 0; i < 8; i++) taskIds.Add(await SubmitAsync(user.Id, $"任务 {i}"));

        await using (var a = await app.StartHostAsync())
        await using (var b = await app.StartHostAsync())
            foreach (var id in taskIds) await app.WaitForTaskAsync(id, t => t.Status == "succeeded");

        foreach (var id in taskIds)
        {
            var task = app.Ark.TaskFor((await app.TaskAsync(id))!.VendorTaskId!);
            // queued, running × RunningPolls, succeeded: each state is one poll; a duplicate poll would add one.
            Assert.Equal(app.Ark.RunningPolls + 2, task.Polls.Count);
            var times = task.Polls.ToArray();
            for (var i = 1; i < times.Length; i++)
                Assert.True(times[i] - times[i - 1] >= TasksApp.PollInterval * 0.75,
                    $"polls {i - 1} and {i} of {id} were {(times[i] - times[i - 1]).TotalMilliseconds} ms apart");
            Assert.Single(await app.LedgerOfAsync(id), l => l.Kind == "charge");
        }
        Assert.Equal(100_000 - 8 * WorstCase, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000 - 8 * WorstCase, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task Concurrent_claims_on_one_database_never_hand_a_task_to_two_owners()
    {
        // FOR UPDATE SKIP LOCKED on MariaDB, the conditional UPDATE on SQLite: the same test proves both.
        var user = await app.CreateUserAsync(100_000);
        app.Ark.Hold = true;
        var taskIds = new HashSet<string>();
        for (var i = 0; i < 12; i++) taskIds.Add(await SubmitAsync(user.Id, $"抢占 {i}"));
        var store = app.Services.GetRequiredService<TaskStore>();
        var at = DateTime.UtcNow.AddSeconds(5); // every task is due then

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(n =>
            Task.Run(() => store.ClaimAsync($"owner-{n}", at, TimeSpan.FromMinutes(1), 100, CancellationToken.None))));

        var claimed = claims.SelectMany(c => c.Select(t => t.Id)).Where(taskIds.Contains).ToList();
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.NotEmpty(claimed);
        // A live lease is not taken again, by anyone; what the concurrent round left (SKIP LOCKED passes over a row another
        // transaction holds at that instant, and a claim chosen as a deadlock victim gives its rows back) the next scan takes.
        var late = (await store.ClaimAsync("late", at.AddSeconds(1), TimeSpan.FromMinutes(1), 100, CancellationToken.None))
            .Select(t => t.Id).Where(taskIds.Contains).ToList();
        Assert.Empty(late.Intersect(claimed));
        Assert.Equal(taskIds.OrderBy(x => x), claimed.Concat(late).OrderBy(x => x));
        // An expired one is.
        var after = await store.ClaimAsync("successor", at.AddMinutes(2), TimeSpan.FromMinutes(1), 100, CancellationToken.None);
        Assert.Superset(taskIds, after.Select(t => t.Id).Where(taskIds.Contains).ToHashSet());
        Assert.Equal(taskIds.Count, after.Count(t => taskIds.Contains(t.Id)));
    }
}
