using System.Data.Common;
using Dapper;

namespace Ihui.Features.Common.Data;

/// <summary>
/// The store as the rest of Ihui uses it: reads on connections of their own (<see cref="OpenAsync"/>), writes through
/// <see cref="WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, Func{T, bool}, CancellationToken)"/>, and where
/// the SQL dialects differ. Each job is a type of its own: <see cref="DbConnectionFactory"/> opens connections (MySQL's
/// two pools, SQLite's read-only readers), <see cref="MySqlTransientRetry"/> runs a deadlock victim again,
/// <see cref="MySqlOneTripBatch"/> sends a transaction as one round trip, <see cref="SqliteGroupCommitWriter"/> is
/// SQLite's one writer, and <see cref="SqliteWalCheckpointer"/> (a hosted service) keeps its WAL short.
/// On MySQL each write is its own transaction on a write-pool connection; on SQLite every write goes through the one writer.
/// </summary>
public sealed class Db : IAsyncDisposable
{
    private readonly SqliteGroupCommitWriter? _writer;
    private readonly MySqlOneTripBatch? _oneTrip;

    public Db(DatabaseOptions options)
    {
        Connections = new DbConnectionFactory(options);
        if (options.Dialect == SqlDialect.Sqlite) _writer = new SqliteGroupCommitWriter(Connections);
        else _oneTrip = new MySqlOneTripBatch(Connections);
    }

    public DbConnectionFactory Connections { get; }
    public SqlDialect Dialect => Connections.Dialect;
    public DatabaseOptions Options => Connections.Options;

    /// <summary>SQLite's writer; null on MySQL.</summary>
    public SqliteGroupCommitWriter? SqliteWriter => _writer;

    /// <summary>A connection for reads (on MySQL from the read pool; on SQLite it refuses to write).</summary>
    public Task<DbConnection> OpenAsync(CancellationToken ct = default) => Connections.OpenReadAsync(ct);

    /// <summary>
    /// A command for SQL run on every call: prepared once and reused on SQLite's writer connection (only the thread
    /// running the writes touches it), a fresh command anywhere else.
    /// </summary>
    public HotCommand Hot(DbConnection connection, DbTransaction? tx, string sql)
    {
        if (_writer is not null && _writer.Owns(connection)) return _writer.Hot(sql);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return new HotCommand(command, owned: true);
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one atomic write and commits it. <paramref name="work"/> gets the transaction its
    /// commands must name: null on SQLite's writer, whose transaction is the connection's own.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken ct = default) =>
        WriteAsync(work, static _ => true, ct);

    /// <summary>Runs <paramref name="work"/> as one atomic write; keeps it when <paramref name="commitWhen"/> accepts its result, else undoes it.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, Func<T, bool> commitWhen, CancellationToken ct = default)
    {
        if (_writer is not null) return _writer.WriteAsync(work, commitWhen, ct);
        // InnoDB rolls a deadlock victim back whole: nothing of it stands, so it runs again.
        return MySqlTransientRetry.RunAsync(async () =>
        {
            await using var c = await Connections.OpenWriteAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var result = await work(c, tx);
            if (commitWhen(result)) await tx.CommitAsync(ct);
            else await tx.RollbackAsync(ct);
            return result;
        }, ct);
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction?, Task> work, CancellationToken ct = default) =>
        WriteAsync<bool>(async (c, tx) => { await work(c, tx); return true; }, ct);

    /// <summary>One statement as a write (an INSERT, an UPDATE).</summary>
    public Task<int> ExecuteWriteAsync(string sql, object? param = null, CancellationToken ct = default) =>
        WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(sql, param, tx, cancellationToken: ct)), ct);

    /// <summary>MySQL: a write as one round trip (<see cref="MySqlOneTripBatch"/>).</summary>
    public Task<T> WriteOneTripAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default) =>
        _oneTrip?.WriteAsync(work, ct) ?? throw new InvalidOperationException("one-trip writes are MySQL's");

    /// <summary>Row lock for read-modify-write inside a transaction (SQLite's write transaction already serialises).</summary>
    public string ForUpdate => Dialect == SqlDialect.MySql ? " FOR UPDATE" : "";

    public ValueTask DisposeAsync() => _writer?.DisposeAsync() ?? ValueTask.CompletedTask;
}
