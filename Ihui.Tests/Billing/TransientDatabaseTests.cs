using System.Net;
using System.Net.Http.Json;
using Dapper;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Data;
using Ihui.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace Ihui.Tests.Billing;

/// <summary>
/// A host whose writes can be blocked from outside, the way a real store fails for a moment: on MariaDB the write pool
/// holds one connection and the test takes it (a write then finds the pool exhausted after 1 s, the error of a login
/// burst); on SQLite another process holds the write lock (a write fails as busy after 200 ms).
/// </summary>
public sealed class BlockedWritesApp : IhuiApp
{
    protected override bool ChecksCallRows => false; // the ledger is driven directly

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("DB_WRITE_POOL_SIZE", "1"), new("DB_POOL_SIZE", "4"), new("DB_CONNECT_TIMEOUT_SECONDS", "1"),
        new("SQLITE_BUSY_TIMEOUT_MS", "200"),
    ];

    public DatabaseOptions Options => Services.GetRequiredService<DatabaseOptions>();

    /// <summary>Takes every write the store admits until disposed.</summary>
    public async Task<IAsyncDisposable> BlockWritesAsync()
    {
        if (Options.Dialect == SqlDialect.MySql)
        {
            for (var attempt = 1; ; attempt++)
            {
                var c = new MySqlConnection(Options.PoolConnectionString(write: true));
                try
                {
                    await c.OpenAsync();
                    return c;
                }
                catch (MySqlException) when (attempt < 20)
                {
                    // The app's own writer had the pool's one connection just then.
                    await c.DisposeAsync();
                }
            }
        }
        // Not pooled: closing it really closes it, which rolls the empty transaction back.
        var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder(Options.ConnectionString) { Pooling = false }.ConnectionString);
        await sqlite.OpenAsync();
        await using var begin = sqlite.CreateCommand();
        begin.CommandText = "PRAGMA busy_timeout=5000; BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return sqlite;
    }
}

/// <summary>
/// Item 1 of issue 14: a settlement or refund never gives up on a transient database error, it retries (one log line per
/// retry) until it lands and the books stay exact; a billed request meeting one answers 503 in its route's shape, not 500.
/// </summary>
public sealed class TransientDatabaseTests(BlockedWritesApp app) : IClassFixture<BlockedWritesApp>
{
    private Ledger Ledger => app.Services.GetRequiredService<Ledger>();

    private int RetriesLogged(string callId) =>
        app.Logs.Lines.Count(l => l.Contains("met a transient database error", StringComparison.Ordinal) && l.Contains(callId, StringComparison.Ordinal));

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 300 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), what);
    }

    private async Task AssertBooksAsync(string userId, long balance)
    {
        Assert.Equal(balance, await app.BalanceAsync(userId));
        Assert.Equal(balance, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Fact]
    public async Task A_settlement_meeting_a_transient_error_retries_until_it_lands_and_charges_once()
    {
        var user = await app.CreateUserAsync(1_000);
        var callId = "settle-" + Guid.NewGuid().ToString("N");
        Assert.True(await Ledger.ReserveAsync(user.Id, callId, 100));

        Task<Receipt> settling;
        await using (await app.BlockWritesAsync())
        {
            settling = Ledger.SettleAsync(user.Id, callId, 40);
            await WaitForAsync(() => RetriesLogged(callId) >= 2, "the settlement retried while the writes were blocked");
            Assert.False(settling.IsCompleted);
        }

        Assert.Equal(new Receipt(100, 40, 960), await settling.WaitAsync(TimeSpan.FromSeconds(30)));
        await AssertBooksAsync(user.Id, 960);
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger WHERE call_id = @callId AND kind IN ('release', 'charge')", new { callId }));
    }

    [Fact]
    public async Task A_refund_meeting_a_transient_error_retries_until_it_lands()
    {
        var user = await app.CreateUserAsync(500);
        var callId = "refund-" + Guid.NewGuid().ToString("N");
        Assert.True(await Ledger.ReserveAsync(user.Id, callId, 200));
        Assert.Equal(300, await app.BalanceAsync(user.Id));

        Task refunding;
        await using (await app.BlockWritesAsync())
        {
            refunding = Ledger.RefundAsync(user.Id, callId);
            await WaitForAsync(() => RetriesLogged(callId) >= 2, "the refund retried while the writes were blocked");
            Assert.False(refunding.IsCompleted);
        }

        await refunding.WaitAsync(TimeSpan.FromSeconds(30));
        await AssertBooksAsync(user.Id, 500);
    }

    [Fact]
    public async Task A_billed_call_meeting_a_transient_error_answers_503_in_the_seed_envelope_and_moves_no_money()
    {
        var user = await app.CreateUserAsync(1_000);
        var http = app.CreateClient();
        HttpResponseMessage response;
        await using (await app.BlockWritesAsync())
            response = await http.PostAsJsonAsync("/gemini/3/generate", new { prompt = "p", model = "gemini-per-call-test", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await IhuiApp.JsonAsync(response);
        Assert.Equal(503, body.GetProperty("code").GetInt32());
        Assert.Contains("database", body.GetProperty("msg").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
        await AssertBooksAsync(user.Id, 1_000);

        // Once the store is back, the same call goes through.
        var ok = await http.PostAsJsonAsync("/gemini/3/generate", new { prompt = "p", model = "gemini-per-call-test", user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await AssertBooksAsync(user.Id, 990);
    }

    [Fact]
    public async Task Reads_and_health_go_on_while_every_write_connection_is_taken()
    {
        await using (await app.BlockWritesAsync())
        {
            var health = await app.CreateClient().GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
            Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users") >= 0);
        }
    }

    [Fact]
    public async Task On_MariaDB_a_write_lands_while_every_read_connection_is_taken()
    {
        if (!TestDatabase.IsMySql) return; // SQLite has one writer and no pools to size
        var db = app.Services.GetRequiredService<Db>();
        var readers = new List<System.Data.Common.DbConnection>();
        try
        {
            for (var i = 0; i < app.Options.PoolSize; i++) readers.Add(await db.OpenAsync());
            // The read pool is full: another read waits and fails, a write does not.
            await Assert.ThrowsAsync<MySqlException>(() => db.OpenAsync());
            var model = "pool-" + Guid.NewGuid().ToString("N")[..8];
            Assert.Equal(1, await db.ExecuteWriteAsync("INSERT INTO prices (model, updated_at) VALUES (@model, @now)", new { model, now = DateTime.UtcNow }));
        }
        finally
        {
            foreach (var r in readers) await r.DisposeAsync();
        }
    }
}
