using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ihui.Features.Common.Data;

/// <summary>
/// SQLite's one writer. SQLite admits one writer at a time, so one connection writes and writes are combined: a caller
/// that finds the writer idle runs the writes queued so far on its own thread, in one transaction (group commit); callers
/// that find it busy queue theirs and wait. Each write runs in its own savepoint, so it commits or rolls back alone, and
/// its caller resumes only after the transaction's COMMIT, on the thread that wrote it, once the writer's turn has passed
/// on. The writer keeps its statements prepared (<see cref="Hot"/>). The WAL checkpointer borrows the turn for a moment
/// to restart the WAL (<see cref="TryTakeTurn"/>).
/// </summary>
public sealed class SqliteGroupCommitWriter(DbConnectionFactory connections) : IAsyncDisposable
{
    private const int MaxBatch = 64;
    private readonly ConcurrentQueue<IWriteUnit> _queue = new();
    private readonly Dictionary<string, SqliteHotSql> _prepared = new(StringComparer.Ordinal);
    private DbConnection? _writer;
    private int _draining;
    private volatile bool _turnWanted;
    private volatile bool _closed;

    public bool IsClosed => _closed;

    /// <summary>Whether <paramref name="connection"/> is the writer's (its statements are prepared once and kept).</summary>
    public bool Owns(DbConnection connection) => ReferenceEquals(connection, _writer);

    /// <summary>A statement prepared once on the writer's connection; only the thread running the writes calls this.</summary>
    internal HotCommand Hot(string sql)
    {
        if (!_prepared.TryGetValue(sql, out var prepared))
            _prepared[sql] = prepared = new SqliteHotSql(((SqliteConnection)_writer!).Handle!, sql);
        return new HotCommand(prepared.Start());
    }

    /// <summary>Runs <paramref name="work"/> as one atomic write; keeps it when <paramref name="commitWhen"/> accepts its result, else undoes it.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, Func<T, bool> commitWhen, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var unit = new WriteUnit<T>(this, work, commitWhen, ct);
        _queue.Enqueue(unit);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0) await DrainAsync();
        return await unit.Task;
    }

    /// <summary>
    /// Runs one batch of queued writes as one transaction, then passes the writer role on — to a pool thread when more
    /// writes are queued, to whoever writes next otherwise — and only then tells the batch's callers their outcome. Their
    /// continuations run right here, on the thread that wrote their rows: no hop to the pool for each caller, and the
    /// writes never wait for a caller's own work (a large vendor body, say), since the role has already moved on.
    /// The role is given up only with an empty queue, checked again after giving it up.
    /// </summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            if (_turnWanted)
            {
                // The checkpointer restarts the WAL; it runs what is queued when it is done (ReleaseTurn).
                Volatile.Write(ref _draining, 0);
                return;
            }
            var batch = new List<IWriteUnit>(8);
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var unit)) batch.Add(unit);
            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
                continue;
            }
            var failure = await RunBatchAsync(batch);
            if (!_queue.IsEmpty && !_turnWanted) _ = Task.Run(DrainAsync);
            else
            {
                Volatile.Write(ref _draining, 0);
                if (!_queue.IsEmpty && !_turnWanted && Interlocked.CompareExchange(ref _draining, 1, 0) == 0) _ = Task.Run(DrainAsync);
            }
            Finish(batch, failure);
            return;
        }
    }

    private static void Finish(List<IWriteUnit> batch, Exception? failure)
    {
        foreach (var unit in batch)
        {
            if (failure is null) unit.Complete();
            else unit.Fail(failure);
        }
    }

    /// <summary>
    /// One transaction for the batch. It is opened and closed by statements prepared once on the writer's connection,
    /// not by <c>BeginTransaction()</c>, which has SQLite compile <c>BEGIN</c> and <c>COMMIT</c> anew for every
    /// transaction (≈ 20 µs of the ≈ 125 µs a one-write transaction took, measured with the bench). The connection then
    /// holds no <see cref="DbTransaction"/>: the units' commands run with none, inside the connection's transaction.
    /// Returns what failed the batch as a whole (its units have not been told yet), or null.
    /// </summary>
    private async Task<Exception?> RunBatchAsync(List<IWriteUnit> batch)
    {
        try
        {
            _writer ??= await OpenWriterAsync();
            var alone = batch.Count == 1;
            await Hot("BEGIN IMMEDIATE").ExecuteAsync();
            try
            {
                foreach (var unit in batch) await unit.RunAsync(_writer, alone);
                await Hot(alone && !batch[0].Keep ? "ROLLBACK" : "COMMIT").ExecuteAsync();
            }
            catch
            {
                await EndFailedTransactionAsync(_writer);
                throw;
            }
            return null;
        }
        catch (Exception e)
        {
            await CloseWriterAsync();
            return e;
        }
    }

    /// <summary>
    /// Rolls back what a failed batch left open (SQLite may have rolled it back already, on a full disk or an I/O error).
    /// The connection does not know of a transaction it did not begin, so it must not go back to the pool with one open:
    /// when the rollback cannot be confirmed, the pool is cleared and the connection really closes.
    /// </summary>
    private async Task EndFailedTransactionAsync(DbConnection writer)
    {
        var sqlite = (SqliteConnection)writer;
        try
        {
            if (InTransaction(sqlite)) await Hot("ROLLBACK").ExecuteAsync();
        }
        catch (Exception)
        {
            // Closing the connection below rolls back whatever is left.
        }
        if (InTransaction(sqlite)) SqliteConnection.ClearPool(sqlite);
    }

    private static bool InTransaction(SqliteConnection c) => c.Handle is { } handle && raw.sqlite3_get_autocommit(handle) == 0;

    private async Task CloseWriterAsync()
    {
        // The connection goes back to the pool: its prepared statements must not go with it.
        foreach (var prepared in _prepared.Values) prepared.Dispose();
        _prepared.Clear();
        if (_writer is not null) await _writer.DisposeAsync();
        _writer = null;
    }

    /// <summary>
    /// The writer's connection does not checkpoint in its COMMITs (a checkpoint syncs the file: a stall on the request
    /// path); when it starts the WAL again from its beginning, it cuts the file back to the WAL's limit.
    /// </summary>
    private async Task<DbConnection> OpenWriterAsync()
    {
        var connection = await connections.OpenWriteAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit={connections.Options.WalLimitBytes};";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>
    /// Takes the writer's turn (the drainer hands it over between batches), for the checkpointer's WAL restart. False when
    /// the writer closed or <paramref name="ct"/> was cancelled meanwhile; after true, <see cref="ReleaseTurn"/> must follow.
    /// </summary>
    public bool TryTakeTurn(CancellationToken ct)
    {
        _turnWanted = true;
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
        {
            if (ct.IsCancellationRequested || _closed)
            {
                _turnWanted = false;
                return false;
            }
            spin.SpinOnce();
        }
        _turnWanted = false;
        return true;
    }

    /// <summary>Gives the turn back and runs whatever was queued meanwhile.</summary>
    public void ReleaseTurn()
    {
        Volatile.Write(ref _draining, 0);
        if (!_queue.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0) _ = Task.Run(DrainAsync);
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        // Let the writer finish what was queued, then take the role for good.
        while (Interlocked.CompareExchange(ref _draining, 1, 0) != 0) await Task.Delay(1);
        var rest = new List<IWriteUnit>(MaxBatch);
        while (!_queue.IsEmpty)
        {
            rest.Clear();
            while (rest.Count < MaxBatch && _queue.TryDequeue(out var unit)) rest.Add(unit);
            Finish(rest, await RunBatchAsync(rest));
        }
        await CloseWriterAsync();
    }

    private interface IWriteUnit
    {
        /// <summary>Whether its writes are to be kept (it did not fail and its result was accepted).</summary>
        bool Keep { get; }

        /// <summary>Runs the write; <paramref name="alone"/>: the only one in its transaction, which then needs no savepoint.</summary>
        Task RunAsync(DbConnection connection, bool alone);
        void Complete();
        void Fail(Exception e);
    }

    private sealed class WriteUnit<T>(SqliteGroupCommitWriter writer, Func<DbConnection, DbTransaction?, Task<T>> work, Func<T, bool> commitWhen,
        CancellationToken ct) : IWriteUnit
    {
        // Continuations run where the unit is completed: DrainAsync does that after passing the writer role on.
        private readonly TaskCompletionSource<T> _done = new();
        private T? _result;
        private Exception? _error;
        private bool _keep;

        public Task<T> Task => _done.Task;
        public bool Keep => _keep;

        public async Task RunAsync(DbConnection connection, bool alone)
        {
            if (ct.IsCancellationRequested)
            {
                _error = new OperationCanceledException(ct);
                return;
            }
            if (!alone) await writer.Hot("SAVEPOINT unit").ExecuteAsync();
            try
            {
                _result = await work(connection, null);
                _keep = commitWhen(_result);
            }
            catch (Exception e) when (e is not SqliteException { SqliteErrorCode: 13 or 10 or 11 })
            {
                // The unit's own failure: undo its writes only. Disk-full/I-O/corrupt errors fail the whole batch.
                _error = e;
            }
            if (alone) return;
            if (!_keep) await writer.Hot("ROLLBACK TO unit").ExecuteAsync();
            await writer.Hot("RELEASE unit").ExecuteAsync();
        }

        public void Complete()
        {
            if (_error is null) _done.TrySetResult(_result!);
            else _done.TrySetException(_error);
        }

        public void Fail(Exception e) => _done.TrySetException(e);
    }
}
