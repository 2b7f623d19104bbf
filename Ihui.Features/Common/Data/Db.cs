using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Ihui.Features.Common.Data;

/// <summary>
/// Opens pooled connections to the configured store and knows where its SQL dialect differs.
/// Writes go through <see cref="WriteAsync{T}"/>: on SQLite (one writer at a time by design) an in-process gate
/// queues writers, because colliding on SQLite's lock costs a busy-retry sleep; on MySQL the gate is a no-op.
/// </summary>
public sealed class Db(DatabaseOptions options)
{
    private readonly SemaphoreSlim _sqliteWriteGate = new(1, 1);

    public SqlDialect Dialect => options.Dialect;
    public DatabaseOptions Options => options;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (options.Dialect == SqlDialect.MySql)
        {
            var mysql = new MySqlConnection(options.ConnectionString);
            await mysql.OpenAsync(ct);
            return mysql;
        }
        var sqlite = new SqliteConnection(options.ConnectionString);
        await sqlite.OpenAsync(ct);
        // WAL + NORMAL: commits are atomic and consistent; only a power loss may drop the last commits.
        await using var pragma = sqlite.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
        await pragma.ExecuteNonQueryAsync(ct);
        return sqlite;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction and commits it.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default) =>
        WriteAsync(work, static _ => true, ct);

    /// <summary>Runs <paramref name="work"/> in one write transaction; commits when <paramref name="commitWhen"/> accepts its result, else rolls back.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, Func<T, bool> commitWhen, CancellationToken ct = default)
    {
        var gated = options.Dialect == SqlDialect.Sqlite;
        if (gated) await _sqliteWriteGate.WaitAsync(ct);
        try
        {
            await using var c = await OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var result = await work(c, tx);
            if (commitWhen(result)) await tx.CommitAsync(ct);
            else await tx.RollbackAsync(ct);
            return result;
        }
        finally
        {
            if (gated) _sqliteWriteGate.Release();
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        WriteAsync<bool>(async (c, tx) => { await work(c, tx); return true; }, ct);

    /// <summary>One statement as a write (an INSERT, an UPDATE) under the same gate.</summary>
    public Task<int> ExecuteWriteAsync(string sql, object? param = null, CancellationToken ct = default) =>
        WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(sql, param, tx, cancellationToken: ct)), ct);

    /// <summary>Row lock for read-modify-write inside a transaction (SQLite's write transaction already serialises).</summary>
    public string ForUpdate => options.Dialect == SqlDialect.MySql ? " FOR UPDATE" : "";
}
