using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Ihui.Features.Common.Data;

/// <summary>
/// Opens pooled connections to the configured store and knows where its SQL dialect differs.
/// Writes go through <see cref="WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, Func{T, bool}, CancellationToken)"/>.
/// On MySQL each write is its own transaction, run again if InnoDB picks it as a deadlock victim. On SQLite, which admits one writer at a time, a single writer loop
/// owns one connection and commits the writes queued meanwhile together (group commit): each write runs in its own
/// savepoint, so it commits or rolls back alone, and its caller resumes only after the batch's COMMIT.
/// </summary>
public sealed class Db : IAsyncDisposable
{
    private const int MaxBatch = 64;
    private readonly DatabaseOptions _options;
    private readonly Channel<IWriteUnit>? _writes;
    private readonly Task? _writer;

    public Db(DatabaseOptions options)
    {
        _options = options;
        if (options.Dialect != SqlDialect.Sqlite) return;
        _writes = Channel.CreateUnbounded<IWriteUnit>(new UnboundedChannelOptions { SingleReader = true });
        _writer = Task.Run(WriterLoopAsync);
    }

    public SqlDialect Dialect => _options.Dialect;
    public DatabaseOptions Options => _options;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_options.Dialect == SqlDialect.MySql)
        {
            var mysql = new MySqlConnection(_options.ConnectionString);
            await mysql.OpenAsync(ct);
            return mysql;
        }
        var sqlite = new SqliteConnection(_options.ConnectionString);
        await sqlite.OpenAsync(ct);
        // WAL + NORMAL: commits are atomic and consistent; only a power loss may drop the last commits.
        await using var pragma = sqlite.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
        await pragma.ExecuteNonQueryAsync(ct);
        return sqlite;
    }

    /// <summary>Runs <paramref name="work"/> as one atomic write and commits it.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default) =>
        WriteAsync(work, static _ => true, ct);

    /// <summary>Runs <paramref name="work"/> as one atomic write; keeps it when <paramref name="commitWhen"/> accepts its result, else undoes it.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, Func<T, bool> commitWhen, CancellationToken ct = default)
    {
        if (_writes is not null)
        {
            var unit = new WriteUnit<T>(work, commitWhen, ct);
            if (!_writes.Writer.TryWrite(unit)) throw new ObjectDisposedException(nameof(Db));
            return await unit.Task;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var c = await OpenAsync(ct);
                await using var tx = await c.BeginTransactionAsync(ct);
                var result = await work(c, tx);
                if (commitWhen(result)) await tx.CommitAsync(ct);
                else await tx.RollbackAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < 3 && DbErrors.IsTransient(e))
            {
                // InnoDB rolled the whole transaction back (deadlock victim): nothing of it stands, run it again.
                await Task.Delay(Random.Shared.Next(1, 10) * attempt, ct);
            }
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        WriteAsync<bool>(async (c, tx) => { await work(c, tx); return true; }, ct);

    /// <summary>One statement as a write (an INSERT, an UPDATE).</summary>
    public Task<int> ExecuteWriteAsync(string sql, object? param = null, CancellationToken ct = default) =>
        WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(sql, param, tx, cancellationToken: ct)), ct);

    /// <summary>Row lock for read-modify-write inside a transaction (SQLite's write transaction already serialises).</summary>
    public string ForUpdate => _options.Dialect == SqlDialect.MySql ? " FOR UPDATE" : "";

    private async Task WriterLoopAsync()
    {
        var reader = _writes!.Reader;
        var batch = new List<IWriteUnit>(MaxBatch);
        DbConnection? connection = null;
        using var checkpoints = new CancellationTokenSource();
        var checkpointer = Task.Run(() => CheckpointLoopAsync(checkpoints.Token));
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var unit)) batch.Add(unit);
            try
            {
                connection ??= await OpenWriterAsync();
                await using (var tx = await connection.BeginTransactionAsync())
                {
                    foreach (var unit in batch) await unit.RunAsync(connection, tx);
                    await tx.CommitAsync();
                }
                foreach (var unit in batch) unit.Complete();
            }
            catch (Exception e)
            {
                foreach (var unit in batch) unit.Fail(e);
                if (connection is not null) await connection.DisposeAsync();
                connection = null;
            }
        }
        if (connection is not null) await connection.DisposeAsync();
        await checkpoints.CancelAsync();
        await checkpointer;
    }

    /// <summary>The writer's connection does not checkpoint in its COMMITs (a checkpoint syncs the file: a stall on the request path).</summary>
    private async Task<DbConnection> OpenWriterAsync()
    {
        var connection = await OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA wal_autocheckpoint=0;";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Moves the WAL into the database file off the request path, without blocking the writer (PASSIVE).</summary>
    private async Task CheckpointLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await using var c = await OpenAsync(ct);
                    await using var cmd = c.CreateCommand();
                    cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                catch (SqliteException)
                {
                    // A busy or failed checkpoint is retried on the next tick.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writes is null) return;
        _writes.Writer.TryComplete();
        await _writer!;
    }

    private interface IWriteUnit
    {
        Task RunAsync(DbConnection connection, DbTransaction tx);
        void Complete();
        void Fail(Exception e);
    }

    private sealed class WriteUnit<T>(Func<DbConnection, DbTransaction, Task<T>> work, Func<T, bool> commitWhen, CancellationToken ct) : IWriteUnit
    {
        private const string Savepoint = "unit";
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _done.Task;

        public async Task RunAsync(DbConnection connection, DbTransaction tx)
        {
            if (ct.IsCancellationRequested)
            {
                _error = new OperationCanceledException(ct);
                return;
            }
            await tx.SaveAsync(Savepoint);
            try
            {
                _result = await work(connection, tx);
                if (!commitWhen(_result)) await tx.RollbackAsync(Savepoint);
            }
            catch (Exception e) when (e is not SqliteException { SqliteErrorCode: 13 or 10 or 11 })
            {
                // The unit's own failure: undo its writes only. Disk-full/I-O/corrupt errors fail the whole batch.
                _error = e;
                await tx.RollbackAsync(Savepoint);
            }
            await tx.ReleaseAsync(Savepoint);
        }

        public void Complete()
        {
            if (_error is null) _done.TrySetResult(_result!);
            else _done.TrySetException(_error);
        }

        public void Fail(Exception e) => _done.TrySetException(e);
    }
}
