using System.Net;
using System.Net.Http.Json;
using Dapper;
using Ihui.Features.Common.Billing.Leases;
using Ihui.Features.Common.Data;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Billing;

/// <summary>
/// Real Ihui processes on the test host's database (SQLite file or MariaDB), billing through small leases, stopped
/// gracefully (SIGTERM) or killed (kill -9). The in-process host sweeps what a killed process left.
/// </summary>
/// <summary>
/// The lease host, without the end-of-fixture check that every charge has its call row: a process killed with -9 may
/// lose its last call rows (docs/billing-leases.md), so the tests check the rows of the instances they stop gracefully.
/// </summary>
public sealed class KilledInstancesApp : LeaseApp
{
    protected override bool ChecksCallRows => false;
}

public sealed class LeaseProcessTests(KilledInstancesApp app) : IClassFixture<KilledInstancesApp>, IDisposable
{
    public void Dispose() => app.Gemini.Reset();

    private Task<IhuiProcess> StartAsync(params (string Key, string Value)[] extra)
    {
        var env = app.Database.Settings.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        env["GEMINI_API_KEY"] = IhuiApp.GeminiKey;
        env["GEMINI_BASE_URL"] = app.Gemini.BaseUrl + "/v1beta";
        env["Prices:gemini-per-call-test:PerCall"] = "5";
        env["BILLING_LEASE_MIN_TOKENS"] = "20";
        env["BILLING_LEASE_MAX_TOKENS"] = "40";
        env["BILLING_LEASE_IDLE_SECONDS"] = "30";
        env["BILLING_LEASE_TTL_SECONDS"] = "15"; // a loaded box can starve the renewal for seconds: a live lease must not be swept before the kill
        env["BILLING_FLUSH_MS"] = "20";
        foreach (var (k, v) in extra) env[k] = v;
        return IhuiProcess.StartAsync(env);
    }

    private static Task<HttpResponseMessage> CallAsync(IhuiProcess instance, string userId, int i) =>
        instance.Http.PostAsJsonAsync("/gemini/3/generate", new { prompt = $"p{i}", model = "gemini-per-call-test", user_uuid = userId });

    private async Task<T> QueryAsync<T>(string sql, object args)
    {
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no value: " + sql);
    }

    private async Task<List<string>> LeaseIdsAsync(string userId)
    {
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        return (await c.QueryAsync<string>("SELECT id FROM leases WHERE user_id = @userId", new { userId })).ToList();
    }

    /// <summary>Waits for the sweep (the host's keeper, raced by three more sweepers) to give back every lease of the user.</summary>
    private async Task SweepRacingAsync(string userId)
    {
        var store = app.Services.GetRequiredService<LeaseStore>();
        var end = DateTime.UtcNow.AddSeconds(60);
        while ((await LeaseIdsAsync(userId)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < end, "the killed instance's leases were not swept back");
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => store.SweepExpiredAsync(CancellationToken.None)));
            await Task.Delay(100);
        }
    }

    private async Task AssertBooksExactAsync(string userId, long opening)
    {
        var charges = await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND user_id = @userId", new { userId });
        Assert.Equal(0L, await QueryAsync<long>("SELECT COUNT(*) FROM leases WHERE user_id = @userId", new { userId }));
        Assert.Equal(opening - 10 * charges, await app.BalanceAsync(userId));
        Assert.Equal(await app.BalanceAsync(userId), await app.LedgerSumAsync(userId));
    }

    [Fact]
    public async Task A_killed_instances_leases_are_swept_back_exactly_once()
    {
        var user = await app.CreateUserAsync(1_000);
        await using var instance = await StartAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CallAsync(instance, user.Id, i)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var leases = await LeaseIdsAsync(user.Id);
        Assert.NotEmpty(leases);
        await instance.KillAsync();

        await SweepRacingAsync(user.Id);
        // Four sweepers raced: no lease is given back twice (a spent lease the instance closed itself has no row to sweep).
        foreach (var lease in leases)
            Assert.InRange(await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind IN ('lease_expired', 'lease_return') AND call_id = @lease", new { lease }), 0, 1);
        Assert.InRange(await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND user_id = @Id", new { user.Id }), 0, 20);
        await AssertBooksExactAsync(user.Id, 1_000);
    }

    [Fact]
    public async Task With_sync_durability_every_200_has_its_charge_on_disk_when_the_instance_is_killed_right_after()
    {
        var user = await app.CreateUserAsync(1_000);
        await using var instance = await StartAsync(("BILLING_DURABILITY", "sync"), ("BILLING_FLUSH_MS", "1000"));
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => CallAsync(instance, user.Id, i)));
        await instance.KillAsync();
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        Assert.Equal(30L, await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND delta = -10 AND user_id = @Id", new { user.Id }));
        await SweepRacingAsync(user.Id);
        await AssertBooksExactAsync(user.Id, 1_000);
        Assert.Equal(1_000 - 300, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task Two_instances_billing_one_user_never_overspend_and_the_books_are_exact_after_a_stop_and_after_a_kill()
    {
        app.Gemini.Mode = FakeMode.Slow;
        app.Gemini.Delay = TimeSpan.FromMilliseconds(20);

        // Both stop gracefully: every lease comes back in the last flush, the books are exact to the call.
        var user = await app.CreateUserAsync(400);
        var before = app.Gemini.Requests.Count;
        var a = await StartAsync();
        var b = await StartAsync();
        await using (a)
        await using (b)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => CallAsync(i % 2 == 0 ? a : b, user.Id, i)));
            var ok = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
            Assert.Equal(200, ok + responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
            Assert.InRange(ok, 1, 40);
            Assert.Equal(ok, app.Gemini.Requests.Count - before);
            await Task.WhenAll(a.StopAsync(), b.StopAsync());
            Assert.Equal(0L, await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind = 'lease_expired' AND user_id = @Id", new { user.Id }));
            Assert.Equal((long)ok, await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND user_id = @Id", new { user.Id }));
            await AssertBooksExactAsync(user.Id, 400);
            Assert.Equal(400 - 10 * ok, await app.BalanceAsync(user.Id));
            Assert.Empty(await app.ChargesWithoutTheirCallRowAsync(user.Id));
        }

        // One is killed mid-load: no overspend, and once its leases are swept back the books are exact again.
        var second = await app.CreateUserAsync(400);
        before = app.Gemini.Requests.Count;
        a = await StartAsync();
        b = await StartAsync();
        await using (a)
        await using (b)
        {
            var calls = Enumerable.Range(0, 200).Select(async i =>
            {
                await Task.Delay(i);
                try
                {
                    return (await CallAsync(i % 2 == 0 ? a : b, second.Id, i)).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return (HttpStatusCode)0; // sent to the instance that was killed
                }
            }).ToList();
            await Task.Delay(60);
            await a.KillAsync();
            var statuses = await Task.WhenAll(calls);
            var ok = statuses.Count(s => s == HttpStatusCode.OK);
            Assert.InRange(ok, 0, 40);
            Assert.InRange(app.Gemini.Requests.Count - before, ok, 40);
            await b.StopAsync();
            await SweepRacingAsync(second.Id);
            await AssertBooksExactAsync(second.Id, 400);
            Assert.True(await app.BalanceAsync(second.Id) >= 400 - 10 * (app.Gemini.Requests.Count - before));
        }
    }
}
