using System.Net;
using System.Net.Http.Json;
using Dapper;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Billing.Leases;
using Ihui.Features.Common.Data;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Billing;

/// <summary>
/// Small leases (20–40 tokens, two to four calls of 10) so that a load of concurrent calls takes, tops up, returns
/// and loses leases all the time; the idle return and the sweep run every few hundred milliseconds.
/// </summary>
public class LeaseApp : IhuiApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("BILLING_LEASE_MIN_TOKENS", "20"),
        new("BILLING_LEASE_MAX_TOKENS", "40"),
        new("BILLING_LEASE_IDLE_SECONDS", "0.3"),
        new("BILLING_LEASE_TTL_SECONDS", "4"),
        new("BILLING_FLUSH_MS", "2"),
    ];
}

/// <summary>A price of 5 per call × 2.0: every call holds and costs exactly 10 tokens.</summary>
public sealed class LeaseTests(LeaseApp app) : IClassFixture<LeaseApp>, IDisposable
{
    public void Dispose() => app.Gemini.Reset();

    private Task<HttpResponseMessage> CallAsync(HttpClient http, string userId, int i) =>
        http.PostAsJsonAsync("/gemini/3/generate", new { prompt = $"p{i}", model = "gemini-per-call-test", user_uuid = userId });

    private async Task<T> QueryAsync<T>(string sql, object args)
    {
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no value: " + sql);
    }

    /// <summary>One read (one snapshot): the balance column minus Σ ledger, and the smallest lease row.</summary>
    private async Task<(long Drift, long MinLease)> BooksAsync(string userId)
    {
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        return await c.QuerySingleAsync<(long, long)>(
            "SELECT (SELECT balance FROM users WHERE id = @userId) - COALESCE((SELECT SUM(delta) FROM ledger WHERE user_id = @userId), 0), " +
            "COALESCE((SELECT MIN(amount) FROM leases WHERE user_id = @userId), 0)", new { userId });
    }

    /// <summary>The user's ledger by kind and their lease rows, for a failure's message.</summary>
    private async Task<string> DumpAsync(string userId)
    {
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        var kinds = await c.QueryAsync<(string, long, long)>("SELECT kind, COUNT(*), SUM(delta) FROM ledger WHERE user_id = @userId GROUP BY kind", new { userId });
        var leases = await c.QueryAsync<(string, long)>("SELECT instance_id, amount FROM leases WHERE user_id = @userId", new { userId });
        var column = await c.ExecuteScalarAsync<long>("SELECT balance FROM users WHERE id = @userId", new { userId });
        return $"column {column}; ledger {string.Join(", ", kinds)}; leases {string.Join(", ", leases)}";
    }

    [Fact]
    public async Task Many_more_concurrent_calls_than_the_balance_affords_admit_at_most_what_it_affords_through_top_ups_returns_and_a_sweep()
    {
        // 300 tokens: 30 calls; +100 granted mid-load (10 more); 50 in a dead instance's lease, swept back mid-load (5 more).
        var user = await app.CreateUserAsync(350);
        var db = app.Services.GetRequiredService<Db>();
        var deadLease = "dead-" + Guid.NewGuid().ToString("N")[..20];
        await db.WriteAsync(async (c, tx) =>
        {
            var now = DateTime.UtcNow;
            await c.ExecuteAsync("UPDATE users SET balance = balance - 50 WHERE id = @Id", new { user.Id }, tx);
            await c.ExecuteAsync("INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) VALUES (@Row, @Id, -50, 'lease', @Lease, @Now)",
                new { Row = Guid.NewGuid().ToString("N"), user.Id, Lease = deadLease, Now = now }, tx);
            await c.ExecuteAsync("INSERT INTO leases (id, user_id, api_key_id, instance_id, amount, created_at, expires_at) VALUES (@Lease, @Id, NULL, 'dead-instance', 50, @Now, @Expires)",
                new { Lease = deadLease, user.Id, Now = now, Expires = now.AddMilliseconds(400) }, tx);
        });
        app.Gemini.Mode = FakeMode.Slow;
        app.Gemini.Delay = TimeSpan.FromMilliseconds(30);
        var before = app.Gemini.Requests.Count;
        var http = app.CreateClient();
        var book = app.Services.GetRequiredService<LeaseBook>();
        var store = app.Services.GetRequiredService<LeaseStore>();
        var ledger = app.Services.GetRequiredService<Ledger>();

        using var done = new CancellationTokenSource();
        var violations = new List<string>();
        var watcher = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var (drift, min) = await BooksAsync(user.Id);
                if (drift != 0 || min < 0) lock (violations) violations.Add($"drift {drift}, smallest lease {min}");
                await Task.Delay(5);
            }
        });
        var calls = Enumerable.Range(0, 300).Select(async i =>
        {
            await Task.Delay(i * 2);
            return await CallAsync(http, user.Id, i);
        }).ToList();
        var meddling = Task.Run(async () =>
        {
            await Task.Delay(150);
            await db.WriteAsync((c, tx) => ledger.CreditAsync(c, tx, user.Id, 100, Ledger.Kinds.AdminAdjust, null));
            await book.ReturnIdleAsync(0);
            await Task.Delay(400);
            await Task.WhenAll(store.SweepExpiredAsync(CancellationToken.None), store.SweepExpiredAsync(CancellationToken.None));
        });
        var responses = await Task.WhenAll(calls);
        await meddling;
        await done.CancelAsync();
        await watcher;

        var ok = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        var other = responses.Where(r => r.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.PaymentRequired)).ToList();
        Assert.True(other.Count == 0, $"{other.Count} answers neither 200 nor 402, e.g. {(other.Count > 0 ? $"{other[0].StatusCode} {await other[0].Content.ReadAsStringAsync()}" : "")}; {string.Join("\n", app.Logs.Lines.Where(l => l.Contains("Lease", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase)).Take(5))}");
        Assert.InRange(ok, 30, 45);
        Assert.Equal(ok, app.Gemini.Requests.Count - before);
        Assert.Empty(violations);
        Assert.True(450 - 10 * ok == await app.BalanceAsync(user.Id), $"ok {ok}; " + await DumpAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
        Assert.Equal(0L, await QueryAsync<long>("SELECT COUNT(*) FROM leases WHERE user_id = @Id", new { user.Id }));
        Assert.Equal(1L, await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind = 'lease_expired' AND call_id = @deadLease AND delta = 50", new { deadLease }));
        Assert.Equal((long)ok, await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND delta = -10 AND user_id = @Id", new { user.Id }));
        Assert.True(await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind = 'lease' AND user_id = @Id", new { user.Id }) > 2, "the load ran on leases");

        var rows = await app.CallsAsync(user.Id);
        Assert.Equal(ok, rows.Count(r => r.Status == "succeeded" && r.Charged == 10));
        var charged = (await QueryAsync<long>("SELECT COUNT(DISTINCT l.call_id) FROM ledger l JOIN calls c ON c.id = l.call_id WHERE l.kind = 'charge' AND l.user_id = @Id", new { user.Id }));
        Assert.Equal((long)ok, charged);
    }

    [Fact]
    public async Task Failed_calls_inside_a_lease_are_refunded_in_full_and_write_no_charge()
    {
        var user = await app.CreateUserAsync(1_000);
        var http = app.CreateClient();
        async Task<HttpResponseMessage[]> Burst(int n) => await Task.WhenAll(Enumerable.Range(0, n).Select(i => CallAsync(http, user.Id, i)));

        Assert.All(await Burst(10), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        app.Gemini.Mode = FakeMode.Fail;
        Assert.All(await Burst(10), r => Assert.False(r.IsSuccessStatusCode));
        app.Gemini.Mode = FakeMode.Normal;
        Assert.All(await Burst(10), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        Assert.True(1_000 - 20 * 10 == await app.BalanceAsync(user.Id), await DumpAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
        var rows = await app.CallsAsync(user.Id);
        var failed = rows.Where(r => r.Status == "failed").Select(r => r.Id).ToList();
        Assert.Equal(10, failed.Count);
        Assert.All(rows.Where(r => r.Status == "failed"), r => Assert.Equal(0, r.Charged));
        Assert.Equal(0L, await QueryAsync<long>("SELECT COUNT(*) FROM ledger l JOIN calls c ON c.id = l.call_id WHERE c.status = 'failed' AND l.user_id = @Id", new { user.Id }));
        Assert.Equal(0L, await QueryAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind IN ('hold', 'refund') AND user_id = @Id", new { user.Id }));
    }

    [Fact]
    public async Task A_balance_below_the_smallest_lease_is_billed_per_call_exactly_to_the_token()
    {
        var user = await app.CreateUserAsync(15);
        app.Gemini.Mode = FakeMode.Slow;
        app.Gemini.Delay = TimeSpan.FromMilliseconds(100);
        var http = app.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CallAsync(http, user.Id, i)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
        Assert.Equal(5, await app.BalanceAsync(user.Id));
        Assert.Equal(5, await app.LedgerSumAsync(user.Id));
        var kinds = (await (await app.Services.GetRequiredService<Db>().OpenAsync()).QueryAsync<string>(
            "SELECT kind FROM ledger WHERE user_id = @Id", new { user.Id })).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["charge", "grant", "hold", "release"], kinds);
    }

    [Fact]
    public async Task The_balance_a_response_shows_is_what_the_user_can_spend_and_an_admin_change_is_never_blocked()
    {
        var user = await app.CreateUserAsync(1_000);
        var http = app.CreateClient();
        var first = await IhuiApp.JsonAsync(await CallAsync(http, user.Id, 0));
        Assert.Equal(990, first.GetProperty("data").GetProperty("balance").GetInt64());
        // A lease holds part of the balance now; the column alone is lower than what the user can spend.
        Assert.True(await app.BalanceColumnAsync(user.Id) < 990);
        var ledger = app.Services.GetRequiredService<Ledger>();
        await app.Services.GetRequiredService<Db>().WriteAsync((c, tx) => ledger.CreditAsync(c, tx, user.Id, 500, Ledger.Kinds.AdminAdjust, null));
        var second = await IhuiApp.JsonAsync(await CallAsync(http, user.Id, 1));
        Assert.Equal(1_480, await app.BalanceAsync(user.Id));
        Assert.InRange(second.GetProperty("data").GetProperty("balance").GetInt64(), 980, 1_480);
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
    }
}
