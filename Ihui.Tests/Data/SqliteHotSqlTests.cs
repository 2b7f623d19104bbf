using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ihui.Tests.Data;

/// <summary>
/// The SQL the billing path runs on SQLite's writer goes through SQLite's own API (<c>Db.Hot</c> inside a write), not
/// through Microsoft.Data.Sqlite; the rest of Ihui reads those rows through Microsoft.Data.Sqlite, so both must agree.
/// </summary>
public sealed class SqliteHotSqlTests : IAsyncLifetime
{
    private const string Insert = "INSERT INTO t (k, s, n, i, b, d, m, f, z) VALUES (@K, @S, @N, @I, @B, @D, @M, @F, @Z)";
    private readonly TempSqliteFile _file = new("ihui-hotsql");
    private Db _db = null!;

    public async Task InitializeAsync()
    {
        _db = new Db(DatabaseOptions.Sqlite(_file.Path));
        await _db.ExecuteWriteAsync("CREATE TABLE t (k TEXT PRIMARY KEY, s TEXT, n INTEGER, i INTEGER, b INTEGER, d TEXT, m, f REAL, z TEXT)");
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _file.Dispose();
    }

    private static HotCommand Row(HotCommand command, string key) => command
        .Set("@K", key).Set("@S", "naïve ‘quoted’ 文字").Set("@N", long.MaxValue - 7).Set("@I", -42).Set("@B", true)
        .Set("@D", new DateTime(2026, 11, 30, 9, 58, 1, 250, DateTimeKind.Utc).AddTicks(7)).Set("@M", 12.5000m).Set("@F", 0.125)
        .Set("@Z", null);

    [Fact]
    public async Task Values_are_stored_as_Microsoft_Data_Sqlite_stores_them()
    {
        Assert.Equal(1, await _db.WriteAsync((c, tx) => Row(_db.Hot(c, tx, Insert), "hot").ExecuteAsync()));
        // The same row through Microsoft.Data.Sqlite's own command, on the writer's connection.
        await _db.WriteAsync(async (c, tx) =>
        {
            await using var command = (SqliteCommand)c.CreateCommand();
            command.CommandText = Insert;
            command.Parameters.AddWithValue("@K", "mds");
            command.Parameters.AddWithValue("@S", "naïve ‘quoted’ 文字");
            command.Parameters.AddWithValue("@N", long.MaxValue - 7);
            command.Parameters.AddWithValue("@I", -42);
            command.Parameters.AddWithValue("@B", true);
            command.Parameters.AddWithValue("@D", new DateTime(2026, 11, 30, 9, 58, 1, 250, DateTimeKind.Utc).AddTicks(7));
            command.Parameters.AddWithValue("@M", 12.5000m);
            command.Parameters.AddWithValue("@F", 0.125);
            command.Parameters.AddWithValue("@Z", DBNull.Value);
            await command.ExecuteNonQueryAsync();
        });

        await using var read = await _db.OpenAsync();
        const string Stored = "SELECT typeof(s) || quote(s), typeof(n) || quote(n), typeof(i) || quote(i), typeof(b) || quote(b), " +
                              "typeof(d) || quote(d), typeof(m) || quote(m), typeof(f) || quote(f), typeof(z) || quote(z) FROM t WHERE k = @k";
        var hot = await read.QuerySingleAsync<(string, string, string, string, string, string, string, string)>(Stored, new { k = "hot" });
        var mds = await read.QuerySingleAsync<(string, string, string, string, string, string, string, string)>(Stored, new { k = "mds" });
        Assert.Equal(mds, hot);
        Assert.Equal("text'2026-11-30 09:58:01.2500007'", hot.Item5);
    }

    [Fact]
    public async Task A_parameter_left_unset_is_refused_before_anything_runs_and_is_not_taken_from_the_last_use()
    {
        await _db.WriteAsync((c, tx) => Row(_db.Hot(c, tx, Insert), "first").ExecuteAsync());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _db.WriteAsync((c, tx) =>
            _db.Hot(c, tx, Insert).Set("@K", "second").Set("@S", "s").Set("@N", 1L).Set("@I", 1).Set("@B", false)
                .Set("@D", DateTime.UtcNow).Set("@M", 1m).Set("@F", 1.0).ExecuteAsync()));
        Assert.Contains("@Z", refused.Message);

        Assert.Equal(1, await _db.WriteAsync((c, tx) => Row(_db.Hot(c, tx, Insert), "third").ExecuteAsync()));
        await using var read = await _db.OpenAsync();
        Assert.Equal(["first", "third"], await read.QueryAsync<string>("SELECT k FROM t ORDER BY k"));
    }

    [Fact]
    public async Task A_failing_statement_throws_SQLites_error_and_the_statement_runs_again_afterwards()
    {
        await _db.WriteAsync((c, tx) => Row(_db.Hot(c, tx, Insert), "dup").ExecuteAsync());

        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => _db.WriteAsync((c, tx) => Row(_db.Hot(c, tx, Insert), "dup").ExecuteAsync()));
        Assert.Equal(19, duplicate.SqliteErrorCode); // SQLITE_CONSTRAINT
        await Assert.ThrowsAsync<ArgumentException>(() => _db.WriteAsync((c, tx) => Row(_db.Hot(c, tx, Insert), "guid").Set("@Z", Guid.NewGuid()).ExecuteAsync()));

        Assert.Equal(1, await _db.WriteAsync((c, tx) => Row(_db.Hot(c, tx, Insert), "after").ExecuteAsync()));
        await using var read = await _db.OpenAsync();
        Assert.Equal(["after", "dup"], await read.QueryAsync<string>("SELECT k FROM t ORDER BY k"));
    }

    [Fact]
    public async Task Several_statements_run_in_order_and_the_first_row_is_mapped_while_every_change_is_made()
    {
        foreach (var key in (string[])["a", "b", "c"]) await _db.WriteAsync((c, tx) => Row(_db.Hot(c, tx, Insert), key).ExecuteAsync());

        // Three rows deleted by the first statement, though only its first RETURNING row is read; the UPDATE after it runs too.
        var (first, n) = await _db.WriteAsync((c, tx) => _db.Hot(c, tx, "DELETE FROM t WHERE k IN ('a', 'b') RETURNING k, n; UPDATE t SET s = @S WHERE k = 'c'")
            .Set("@S", "changed").FirstAsync(r => (r.GetString(0), r.GetInt64(1)), ("", 0L)));
        Assert.Contains(first, (string[])["a", "b"]);
        Assert.Equal(long.MaxValue - 7, n);
        Assert.Equal(2, await _db.WriteAsync((c, tx) => _db.Hot(c, tx, "UPDATE t SET n = @N WHERE k = 'c'; INSERT INTO t (k, s) VALUES ('d', @S)")
            .Set("@N", 5L).Set("@S", "new").ExecuteAsync()));
        var none = await _db.WriteAsync((c, tx) => _db.Hot(c, tx, "SELECT k FROM t WHERE k = @K").Set("@K", "missing").FirstAsync(r => r.GetString(0), "none"));
        Assert.Equal("none", none);

        await using var read = await _db.OpenAsync();
        Assert.Equal([("c", "changed", 5L), ("d", "new", 0L)],
            await read.QueryAsync<(string, string, long)>("SELECT k, s, coalesce(n, 0) FROM t ORDER BY k"));
    }
}
