using Dapper;
using EvolveDb;
using EvolveDb.Migration;
using Ihui.Features.Common.Data;
using Ihui.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ihui.Tests.Data;

/// <summary>
/// The SQLite file layout the hot path relies on (page size, WITHOUT ROWID money tables), and the migration that
/// rebuilt holds and ledger keeping every row. SQLite-specific by nature, so each test makes its own SQLite file and
/// runs the same whichever server the rest of the suite uses.
/// </summary>
public sealed class SqliteSchemaTests : IAsyncLifetime
{
    private readonly TempSqliteFile _file = new("ihui-schema");
    private string _path => _file.Path;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _file.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_new_database_gets_the_configured_page_size_and_lean_money_tables()
    {
        await using var db = new Db(DatabaseOptions.Sqlite(_path) with { PageSize = 2048 });
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();

        await using var c = await db.OpenAsync();
        Assert.Equal(2048, await c.ExecuteScalarAsync<long>("PRAGMA page_size"));
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        foreach (var table in new[] { "holds", "ledger" })
            Assert.Contains("WITHOUT ROWID", await c.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = @table", new { table }));
        var indexes = (await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('holds', 'ledger') AND sql IS NOT NULL")).ToList();
        Assert.Equal(["ix_ledger_user"], indexes);
    }

    [Fact]
    public async Task Rebuilding_holds_and_ledger_keeps_every_row()
    {
        var options = DatabaseOptions.Sqlite(_path);
        await using (var before = new SqliteConnection(options.ConnectionString))
        {
            await before.OpenAsync();
            await before.ExecuteAsync("PRAGMA journal_mode=WAL;");
            new Evolve(before, _ => { }, EvolveDb.Dialect.DBMS.SQLite)
            {
                EmbeddedResourceAssemblies = [typeof(Migrator).Assembly],
                EmbeddedResourceFilters = ["Ihui.Features.Common.Data.Migrations.sqlite"],
                MetadataTableName = "schema_migrations",
                OutOfOrder = true,
                TargetVersion = new MigrationVersion("5.5.1"),
            }.Migrate();
            await before.ExecuteAsync("""
                INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) VALUES
                    ('l1', 'u1', 1000, 'grant', NULL, '2026-11-01 00:00:00'),
                    ('l2', 'u1', -300, 'hold', 'c1', '2026-11-01 00:00:01');
                INSERT INTO holds (call_id, user_id, amount, created_at, expires_at, api_key_id) VALUES
                    ('c1', 'u1', 300, '2026-11-01 00:00:01', '2026-11-01 00:10:01', 'k1');
                """);
        }

        await using var db = new Db(options);
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();

        await using var c = await db.OpenAsync();
        var ledger = (await c.QueryAsync<(string, string, long, string, string?)>(
            "SELECT id, user_id, delta, kind, call_id FROM ledger ORDER BY id")).ToList();
        Assert.Equal([("l1", "u1", 1000L, "grant", (string?)null), ("l2", "u1", -300L, "hold", "c1")], ledger);
        var hold = await c.QuerySingleAsync<(string, string, long, string, string)>(
            "SELECT call_id, user_id, amount, expires_at, api_key_id FROM holds");
        Assert.Equal(("c1", "u1", 300L, "2026-11-01 00:10:01", "k1"), hold);
        Assert.Contains("WITHOUT ROWID", await c.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE name = 'holds'"));
    }
}
