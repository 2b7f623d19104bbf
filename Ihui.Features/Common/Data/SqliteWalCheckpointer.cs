using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace Ihui.Features.Common.Data;

/// <summary>
/// Moves SQLite's WAL into the database file off the request path, without blocking the writer (PASSIVE), every
/// <see cref="DatabaseOptions.CheckpointInterval"/> and whenever the WAL file has grown past its limit. A passive
/// checkpoint cannot finish while the writer keeps appending, and SQLite starts the WAL again from its beginning only
/// after one has: under a steady stream of writes the WAL would grow without end, each commit extending the file.
/// So when the WAL holds more than its limit, the checkpointer takes the writer's turn for a moment and runs a
/// RESTART checkpoint: it copies the few frames the passive one left, and the next commit writes the WAL from its
/// beginning again, into blocks the file already has (the writer's <c>journal_size_limit</c> trims the rest).
/// Nothing to do on MySQL.
/// </summary>
public sealed class SqliteWalCheckpointer(Db db) : BackgroundService
{
    /// <summary>The longest the checkpointer sleeps between looks at the WAL's size.</summary>
    private static readonly TimeSpan WalWatchTick = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a WAL restart waits for readers still reading the WAL (the writer waits meanwhile).</summary>
    private const int RestartBusyMs = 100;

    /// <summary>Passive checkpoints run before a restart, at most, to catch up with the writes.</summary>
    private const int CatchUpPasses = 3;

    /// <summary>What a restart may be left to copy for the catching up to stop.</summary>
    private const long CatchUpBytes = 512 * 1024;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        db.SqliteWriter is { } writer
            // A thread of its own: a checkpoint blocks in fsync, which must not hold a pool thread the requests need.
            ? Task.Factory.StartNew(() => Loop(writer, stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.CompletedTask;

    private void Loop(SqliteGroupCommitWriter writer, CancellationToken ct)
    {
        var options = db.Options;
        var interval = options.CheckpointInterval;
        var tick = interval < WalWatchTick ? interval : WalWatchTick;
        var wal = new FileInfo(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource + "-wal");
        var last = System.Diagnostics.Stopwatch.GetTimestamp();
        var restarted = (Length: -1L, Written: DateTime.MinValue);
        var refusedAt = 0L;
        while (!ct.WaitHandle.WaitOne(tick))
        {
            var now = WalState(wal);
            // Past the limit and written to since the last restart (until the next write, the file keeps its size). After
            // a restart a reader refused (another process holding a long read), the writes are not held up again before
            // the next checkpoint is due.
            var grown = now.Length > options.WalLimitBytes && now != restarted
                        && (refusedAt == 0 || System.Diagnostics.Stopwatch.GetElapsedTime(refusedAt) >= interval);
            if (!grown && System.Diagnostics.Stopwatch.GetElapsedTime(last) < interval) continue;
            last = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                using var c = db.Connections.OpenSqliteForCheckpoints();
                var frameBytes = Scalar(c, "PRAGMA page_size;") + 24;
                var (_, frames, _) = Checkpoint(c, "PASSIVE");
                if (frames * frameBytes <= options.WalLimitBytes) continue;
                // The writes went on during that checkpoint (its sync takes a while): catch up with them, a few passes
                // at most, so that the restart, which the writes wait for, has little left to copy and sync.
                for (var pass = 0; pass < CatchUpPasses; pass++)
                {
                    var (_, more, _) = Checkpoint(c, "PASSIVE");
                    var appended = more - frames;
                    frames = more;
                    if (appended * frameBytes < CatchUpBytes) break;
                }
                if (RestartWal(writer, c, ct))
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

    private static (long Length, DateTime Written) WalState(FileInfo wal)
    {
        wal.Refresh();
        return wal.Exists ? (wal.Length, wal.LastWriteTimeUtc) : (0, default);
    }

    /// <summary>
    /// Takes the writer's turn, restarts the WAL, and gives the turn back, running whatever was queued meanwhile. The
    /// writes wait for the length of one checkpoint of a few frames. True when the WAL was restarted (no reader held on
    /// to it past the wait).
    /// </summary>
    private static bool RestartWal(SqliteGroupCommitWriter writer, SqliteConnection c, CancellationToken ct)
    {
        if (!writer.TryTakeTurn(ct)) return false;
        try
        {
            Scalar(c, $"PRAGMA busy_timeout={RestartBusyMs}; SELECT 0;");
            return Checkpoint(c, "RESTART").Busy == 0;
        }
        finally
        {
            writer.ReleaseTurn();
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
}
