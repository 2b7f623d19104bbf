using System.Data.Common;
using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using SQLitePCL;

namespace Ihui.Features.Common.Data;

/// <summary>
/// Opens pooled connections to the configured store and knows where its SQL dialect differs.
/// Writes go through <see cref="WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, Func{T, bool}, CancellationToken)"/>.
/// On MySQL each write is its own transaction, run again if InnoDB picks it as a deadlock victim. On SQLite, which
/// admits one writer at a time, one connection is the writer and writes are combined: a caller that finds the writer
/// idle runs the writes queued so far on its own thread, in one transaction (group commit); callers that find it busy
/// queue theirs and wait. Each write runs in its own savepoint, so it commits or rolls back alone, and its caller
/// resumes only after the transaction's COMMIT, on the thread that wrote it, once the writer's turn has passed on. The
/// writer keeps its statements prepared (<see cref="Hot"/>).
/// </summary>
public sealed class Db : IAsyncDisposable
{
    private const int MaxBatch = 64;
    private readonly DatabaseOptions _options;
    private readonly ConcurrentQueue<IWriteUnit>? _queue;
    private readonly Dictionary<string, SqliteHotSql> _prepared = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task? _checkpointer;
    private DbConnection? _writer;
    private int _draining;
    private volatile bool _writerWanted;
    private volatile bool _closed;

    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;

    public Db(DatabaseOptions options)
    {
        _options = options;
        _readConnectionString = options.PoolConnectionString(write: false);
        _writeConnectionString = options.PoolConnectionString(write: true);
        if (options.Dialect != SqlDialect.Sqlite) return;
        _queue = new ConcurrentQueue<IWriteUnit>();
        // A thread of its own: a checkpoint blocks in fsync, which must not hold a pool thread the requests need.
        _checkpointer = Task.Factory.StartNew(() => CheckpointLoop(_stopping.Token), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public SqlDialect Dialect => _options.Dialect;
    public DatabaseOptions Options => _options;

    /// <summary>A connection for reads; on MySQL from the read pool (<see cref="DatabaseOptions.PoolSize"/>).</summary>
    public Task<DbConnection> OpenAsync(CancellationToken ct = default) => OpenAsync(write: false, ct);

    private async Task<DbConnection> OpenAsync(bool write, CancellationToken ct)
    {
        if (_options.Dialect == SqlDialect.MySql)
        {
            var mysql = new MySqlConnection(write ? _writeConnectionString : _readConnectionString);
            await mysql.OpenAsync(ct);
            return mysql;
        }
        var sqlite = new SqliteConnection(_options.ConnectionString);
        await sqlite.OpenAsync(ct);
        // WAL + NORMAL: commits are atomic and consistent; only a power loss may drop the last commits.
        await using var pragma = sqlite.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_options.BusyTimeoutMs};";
        await pragma.ExecuteNonQueryAsync(ct);
        return sqlite;
    }

    /// <summary>
    /// A command for SQL run on every call: prepared once and reused on SQLite's writer connection (only the thread
    /// running the writes touches it), a fresh command anywhere else.
    /// </summary>
    public HotCommand Hot(DbConnection connection, DbTransaction? tx, string sql)
    {
        if (ReferenceEquals(connection, _writer))
        {
            if (!_prepared.TryGetValue(sql, out var prepared))
                _prepared[sql] = prepared = new SqliteHotSql(((SqliteConnection)connection).Handle!, sql);
            return new HotCommand(prepared.Start());
        }
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return new HotCommand(command, owned: true);
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one atomic write and commits it. <paramref name="work"/> gets the transaction its
    /// commands must name: null on SQLite's writer, whose transaction is the connection's own (see RunBatchAsync).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken ct = default) =>
        WriteAsync(work, static _ => true, ct);

    /// <summary>Runs <paramref name="work"/> as one atomic write; keeps it when <paramref name="commitWhen"/> accepts its result, else undoes it.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, Func<T, bool> commitWhen, CancellationToken ct = default)
    {
        if (_queue is not null)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var unit = new WriteUnit<T>(this, work, commitWhen, ct);
            _queue.Enqueue(unit);
            if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0) await DrainAsync();
            return await unit.Task;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var c = await OpenAsync(write: true, ct);
                await using var tx = await c.BeginTransactionAsync(ct);
                var result = await work(c, tx);
                if (commitWhen(result)) await tx.CommitAsync(ct);
                else await tx.RollbackAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < 3 && DbErrors.IsDeadlockOrLockWait(e))
            {
                // InnoDB rolled the whole transaction back (deadlock victim): nothing of it stands, run it again.
                await Task.Delay(Random.Shared.Next(1, 10) * attempt, ct);
            }
        }
    }

    /// <summary>
    /// MySQL: a write whose SQL carries its own <c>START TRANSACTION … COMMIT</c>, sent as one batch on a connection of its
    /// own. The transaction then costs one round trip, and its row locks are held only while the server runs the batch,
    /// not across round trips and the waits of the thread that sends them. A failed batch is rolled back (a statement that
    /// fails stops the batch with the transaction still open); a deadlock victim runs again.
    /// </summary>
    public async Task<T> WriteOneTripAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default)
    {
        if (_options.Dialect != SqlDialect.MySql) throw new InvalidOperationException("one-trip writes are MySQL's");
        for (var attempt = 1; ; attempt++)
        {
            await using var c = await OpenAsync(write: true, ct);
            try
            {
                return await work(c);
            }
            catch (Exception e)
            {
                await RollbackQuietlyAsync(c);
                if (attempt >= 3 || !DbErrors.IsDeadlockOrLockWait(e)) throw;
            }
            await Task.Delay(Random.Shared.Next(1, 10) * attempt, ct);
        }
    }

    private static async Task RollbackQuietlyAsync(DbConnection c)
    {
        try
        {
            await using var rollback = c.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        catch (Exception)
        {
            // A broken connection is not returned to use: the server rolls its transaction back when it goes.
        }
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction?, Task> work, CancellationToken ct = default) =>
        WriteAsync<bool>(async (c, tx) => { await work(c, tx); return true; }, ct);

    /// <summary>One statement as a write (an INSERT, an UPDATE).</summary>
    public Task<int> ExecuteWriteAsync(string sql, object? param = null, CancellationToken ct = default) =>
        WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(sql, param, tx, cancellationToken: ct)), ct);

    /// <summary>Row lock for read-modify-write inside a transaction (SQLite's write transaction already serialises).</summary>
    public string ForUpdate => _options.Dialect == SqlDialect.MySql ? " FOR UPDATE" : "";

    /// <summary>
    /// Runs one batch of queued writes as one transaction, then passes the writer role on — to a pool thread when more
    /// writes are queued, to whoever writes next otherwise — and only then tells the batch's callers their outcome. Their
    /// continuations run right here, on the thread that wrote their rows: no hop to the pool for each caller, and the
    /// writes never wait for a caller's own work (a large vendor body, say), since the role has already moved on.
    /// The role is given up only with an empty queue, checked again after giving it up.
    /// </summary>
    private async Task DrainAsync()
    {
        var queue = _queue!;
        while (true)
        {
            if (_writerWanted)
            {
                // The checkpointer restarts the WAL; it runs what is queued when it is done (RestartWal).
                Volatile.Write(ref _draining, 0);
                return;
            }
            var batch = new List<IWriteUnit>(8);
            while (batch.Count < MaxBatch && queue.TryDequeue(out var unit)) batch.Add(unit);
            if (batch.Count == 0)
            {
                Volatile.Write(ref _draining, 0);
                if (queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
                continue;
            }
            var failure = await RunBatchAsync(batch);
            if (!queue.IsEmpty && !_writerWanted) _ = Task.Run(DrainAsync);
            else
            {
                Volatile.Write(ref _draining, 0);
                if (!queue.IsEmpty && !_writerWanted && Interlocked.CompareExchange(ref _draining, 1, 0) == 0) _ = Task.Run(DrainAsync);
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
            await Hot(_writer, null, "BEGIN IMMEDIATE").ExecuteAsync();
            try
            {
                foreach (var unit in batch) await unit.RunAsync(_writer, alone);
                await Hot(_writer, null, alone && !batch[0].Keep ? "ROLLBACK" : "COMMIT").ExecuteAsync();
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
            if (InTransaction(sqlite)) await Hot(writer, null, "ROLLBACK").ExecuteAsync();
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
        var connection = await OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit={_options.WalLimitBytes};";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>The longest the checkpointer sleeps between looks at the WAL's size.</summary>
    private static readonly TimeSpan WalWatchTick = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a WAL restart waits for readers still reading the WAL (the writer waits meanwhile).</summary>
    private const int RestartBusyMs = 100;

    /// <summary>
    /// Moves the WAL into the database file off the request path, without blocking the writer (PASSIVE), every
    /// <see cref="DatabaseOptions.CheckpointInterval"/> and whenever the WAL file has grown past its limit. A passive
    /// checkpoint cannot finish while the writer keeps appending, and SQLite starts the WAL again from its beginning only
    /// after one has: under a steady stream of writes the WAL would grow without end, each commit extending the file.
    /// So when the WAL holds more than its limit, the checkpointer takes the writer's turn for a moment and runs a
    /// RESTART checkpoint: it copies the few frames the passive one left, and the next commit writes the WAL from its
    /// beginning again, into blocks the file already has (the writer's <c>journal_size_limit</c> trims the rest).
    /// </summary>
    private void CheckpointLoop(CancellationToken ct)
    {
        var interval = _options.CheckpointInterval;
        var tick = interval < WalWatchTick ? interval : WalWatchTick;
        var wal = new FileInfo(new SqliteConnectionStringBuilder(_options.ConnectionString).DataSource + "-wal");
        var last = System.Diagnostics.Stopwatch.GetTimestamp();
        var restarted = (Length: -1L, Written: DateTime.MinValue);
        var refusedAt = 0L;
        while (!ct.WaitHandle.WaitOne(tick))
        {
            var now = WalState(wal);
            // Past the limit and written to since the last restart (until the next write, the file keeps its size). After
            // a restart a reader refused (another process holding a long read), the writes are not held up again before
            // the next checkpoint is due.
            var grown = now.Length > _options.WalLimitBytes && now != restarted
                        && (refusedAt == 0 || System.Diagnostics.Stopwatch.GetElapsedTime(refusedAt) >= interval);
            if (!grown && System.Diagnostics.Stopwatch.GetElapsedTime(last) < interval) continue;
            last = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                using var c = new SqliteConnection(_options.ConnectionString);
                c.Open();
                Scalar(c, $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_options.BusyTimeoutMs}; SELECT 0;");
                var frameBytes = Scalar(c, "PRAGMA page_size;") + 24;
                var (_, frames, _) = Checkpoint(c, "PASSIVE");
                if (frames * frameBytes <= _options.WalLimitBytes) continue;
                // The writes went on during that checkpoint (its sync takes a while): catch up with them, a few passes
                // at most, so that the restart, which the writes wait for, has little left to copy and sync.
                for (var pass = 0; pass < CatchUpPasses; pass++)
                {
                    var (_, more, _) = Checkpoint(c, "PASSIVE");
                    var appended = more - frames;
                    frames = more;
                    if (appended * frameBytes < CatchUpBytes) break;
                }
                if (RestartWal(c, ct))
                {
                    restarted = WalState(wal);
                    refusedAt = 0;
                }
                else refusedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            catch (SqliteException)
            {
                // A busy or failed checkpoint is retried on the next tick.
            }
        }
    }

    /// <summary>Passive checkpoints run before a restart, at most, to catch up with the writes.</summary>
    private const int CatchUpPasses = 3;

    /// <summary>What a restart may be left to copy for the catching up to stop.</summary>
    private const long CatchUpBytes = 512 * 1024;

    private static (long Length, DateTime Written) WalState(FileInfo wal)
    {
        wal.Refresh();
        return wal.Exists ? (wal.Length, wal.LastWriteTimeUtc) : (0, default);
    }

    /// <summary>
    /// Takes the writer's turn (the drainer hands it over between batches), restarts the WAL, and gives the turn back,
    /// running whatever was queued meanwhile. The writes wait for the length of one checkpoint of a few frames. True
    /// when the WAL was restarted (no reader held on to it past the wait).
    /// </summary>
    private bool RestartWal(SqliteConnection c, CancellationToken ct)
    {
        _writerWanted = true;
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
        {
            if (ct.IsCancellationRequested || _closed)
            {
                _writerWanted = false;
                return false;
            }
            spin.SpinOnce();
        }
        _writerWanted = false;
        try
        {
            Scalar(c, $"PRAGMA busy_timeout={RestartBusyMs}; SELECT 0;");
            return Checkpoint(c, "RESTART").Busy == 0;
        }
        finally
        {
            Volatile.Write(ref _draining, 0);
            if (!_queue!.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0) _ = Task.Run(DrainAsync);
        }
    }

    /// <summary>Runs a checkpoint; SQLite answers (busy, frames in the WAL, frames copied to the database).</summary>
    private static (long Busy, long Frames, long Copied) Checkpoint(SqliteConnection c, string mode)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)) : (0, 0, 0);
    }

    private static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_queue is null) return;
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
        await _stopping.CancelAsync();
        await _checkpointer!;
        _stopping.Dispose();
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

    private sealed class WriteUnit<T>(Db db, Func<DbConnection, DbTransaction?, Task<T>> work, Func<T, bool> commitWhen, CancellationToken ct)
        : IWriteUnit
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
            if (!alone) await db.Hot(connection, null, "SAVEPOINT unit").ExecuteAsync();
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
            if (!_keep) await db.Hot(connection, null, "ROLLBACK TO unit").ExecuteAsync();
            await db.Hot(connection, null, "RELEASE unit").ExecuteAsync();
        }

        public void Complete()
        {
            if (_error is null) _done.TrySetResult(_result!);
            else _done.TrySetException(_error);
        }

        public void Fail(Exception e) => _done.TrySetException(e);
    }
}
