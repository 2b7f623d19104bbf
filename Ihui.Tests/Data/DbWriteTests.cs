using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Data;

public sealed class DbWriteTests(IhuiApp app) : IClassFixture<IhuiApp>
{
    private Db Db => app.Services.GetRequiredService<Db>();

    [Fact]
    public async Task Concurrent_writes_are_each_atomic_a_failing_or_rejected_one_undoes_only_itself()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var writes = Enumerable.Range(0, 120).Select(i => Db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO prices (model, updated_at) VALUES (@Model, @Now)", new { Model = $"{prefix}-{i}-a", Now = DateTime.UtcNow }, tx);
            await c.ExecuteAsync("INSERT INTO prices (model, updated_at) VALUES (@Model, @Now)", new { Model = $"{prefix}-{i}-b", Now = DateTime.UtcNow }, tx);
            if (i % 3 == 0) throw new InvalidOperationException($"unit {i} fails");
            return i;
        }, result => result % 5 != 0)).ToList();

        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try { return (await w, (Exception?)null); }
            catch (InvalidOperationException e) { return (-1, e); }
        }));

        Assert.Equal(40, outcomes.Count(o => o.Item2 is not null));
        await using var c = await Db.OpenAsync();
        var models = (await c.QueryAsync<string>("SELECT model FROM prices WHERE model LIKE @P", new { P = prefix + "-%" })).ToHashSet();
        for (var i = 0; i < 120; i++)
        {
            var kept = i % 3 != 0 && i % 5 != 0;
            Assert.Equal(kept, models.Contains($"{prefix}-{i}-a"));
            Assert.Equal(kept, models.Contains($"{prefix}-{i}-b"));
        }
    }

    [Fact]
    public async Task On_SQLite_a_write_that_bypasses_the_writer_fails_and_leaves_nothing()
    {
        if (Db.Dialect != SqlDialect.Sqlite) return; // MySQL has no single writer: its writes are each a transaction on the write pool
        var model = "bypass-" + Guid.NewGuid().ToString("N")[..8];
        await using (var c = await Db.OpenAsync())
        {
            var refused = await Assert.ThrowsAsync<SqliteException>(() =>
                c.ExecuteAsync("INSERT INTO prices (model, updated_at) VALUES (@model, @now)", new { model, now = DateTime.UtcNow }));
            Assert.Equal(8, refused.SqliteErrorCode); // SQLITE_READONLY
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM prices WHERE model = @model", new { model }));
        }
        // The same row through the writer lands, and a reader sees it.
        Assert.Equal(1, await Db.ExecuteWriteAsync("INSERT INTO prices (model, updated_at) VALUES (@model, @now)", new { model, now = DateTime.UtcNow }));
        await using var reader = await Db.OpenAsync();
        Assert.Equal(1, await reader.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM prices WHERE model = @model", new { model }));
    }

    [Fact]
    public async Task A_cancelled_write_leaves_nothing_behind()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var model = "cancelled-" + Guid.NewGuid().ToString("N")[..8];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Db.ExecuteWriteAsync(
            "INSERT INTO prices (model, updated_at) VALUES (@model, @now)", new { model, now = DateTime.UtcNow }, cts.Token));
        await using var c = await Db.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM prices WHERE model = @model", new { model }));
    }

    [Fact]
    public async Task A_caller_resuming_after_its_write_does_not_hold_up_the_writes_after_it()
    {
        // A caller resumes on the thread that wrote its row (no hop to the pool), but only after the writer's turn has
        // passed on: whatever it does next (here it blocks its thread, as a large body being serialised would) must not
        // keep the next caller's write waiting.
        using var file = new TempSqliteFile("ihui-resume");
        await using var db = new Db(DatabaseOptions.Sqlite(file.Path));
        await db.ExecuteWriteAsync("CREATE TABLE t (x TEXT NOT NULL)");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The first write holds the writer until the gate opens, so the slow caller's write is queued and completed by
        // whichever thread runs the writer's next turn.
        var holding = db.WriteAsync(async (c, tx) => { await gate.Task; return await c.ExecuteAsync("INSERT INTO t (x) VALUES ('first')", transaction: tx); });
        var slow = Task.Run(async () =>
        {
            await db.ExecuteWriteAsync("INSERT INTO t (x) VALUES ('slow')");
            slowWritten.SetResult();
            Thread.Sleep(1500);
        });
        await Task.Delay(100);
        gate.SetResult();
        await slowWritten.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var probe = System.Diagnostics.Stopwatch.StartNew();
        await db.ExecuteWriteAsync("INSERT INTO t (x) VALUES ('probe')");
        probe.Stop();
        await Task.WhenAll(holding, slow);

        Assert.True(probe.ElapsedMilliseconds < 1000, $"the next write waited {probe.ElapsedMilliseconds} ms for the caller before it");
        await using var c = await db.OpenAsync();
        Assert.Equal(["first", "probe", "slow"], (await c.QueryAsync<string>("SELECT x FROM t ORDER BY x")).ToArray());
    }

    [Fact]
    public async Task A_batch_failing_as_a_whole_is_rolled_back_and_the_writer_comes_back_clean()
    {
        // SQLite's writer opens its transactions with its own statements: a failed batch must not leave one open on a
        // connection that goes back to the pool (the next writer would find the database locked or its BEGIN refused).
        using var file = new TempSqliteFile("ihui-dbwrite");
        var path = file.Path;
        await using (var db = new Db(DatabaseOptions.Sqlite(path)))
        {
            await db.ExecuteWriteAsync("CREATE TABLE t (x INTEGER NOT NULL)");
            var failed = await Assert.ThrowsAsync<SqliteException>(() => db.WriteAsync(async (c, tx) =>
            {
                await c.ExecuteAsync("INSERT INTO t (x) VALUES (1)", transaction: tx);
                throw new SqliteException("database or disk is full", 13); // fails the batch, not just its unit
            }));
            Assert.Equal(13, failed.SqliteErrorCode);

            await db.ExecuteWriteAsync("INSERT INTO t (x) VALUES (2)");
            // A writer of its own (another process, say) finds no transaction left open.
            await using var other = await db.Connections.OpenWriteAsync();
            await other.ExecuteAsync("BEGIN IMMEDIATE; INSERT INTO t (x) VALUES (3); COMMIT;");
            var rows = (await other.QueryAsync<long>("SELECT x FROM t ORDER BY x")).ToArray();
            Assert.Equal(new long[] { 2, 3 }, rows);
        }
    }

    [Fact]
    public async Task Under_a_steady_stream_of_writes_the_WAL_is_restarted_instead_of_growing()
    {
        // A passive checkpoint cannot finish while the writer keeps appending, and SQLite starts the WAL again only after
        // one has: without the restart the WAL holds everything written (the control below shows this workload does that).
        var unbounded = await SteadyWritesAsync(walLimit: long.MaxValue);
        var bounded = await SteadyWritesAsync(walLimit: 256 * 1024);

        // (A pause in the writes can still let a passive checkpoint catch up now and then: the control may restart once or twice.)
        Assert.True(unbounded.LargestWal > unbounded.Written / 2,
            $"control: the WAL should have kept what was written ({unbounded.LargestWal} of {unbounded.Written} bytes)");
        Assert.True(bounded.Restarts >= 2, $"the WAL was restarted {bounded.Restarts} times while {bounded.Written} bytes were written");
        // The WAL can pass its limit by what is written between two looks at it (every 20 ms here) and one checkpoint;
        // on a loaded machine the checkpointer's thread may wait its turn for a few hundred ms while 16 writers go on,
        // so the bound is against the control's growth under the same load, with a ceiling far below it.
        Assert.True(bounded.LargestWal < unbounded.LargestWal / 2,
            $"the WAL grew to {bounded.LargestWal} bytes, the control's to {unbounded.LargestWal}");
        Assert.True(bounded.LargestWal < 64 * 1024 * 1024, $"the WAL grew to {bounded.LargestWal} bytes");
    }

    [Fact]
    public async Task A_reader_holding_the_WAL_delays_its_restart_but_not_the_writes_and_the_WAL_is_restarted_after_it()
    {
        using var file = new TempSqliteFile("ihui-wal", TempSqliteFile.MemoryDirectory);
        var path = file.Path;
        var options = DatabaseOptions.Sqlite(path) with { CheckpointInterval = TimeSpan.FromMilliseconds(20), WalLimitBytes = 256 * 1024 };
        await using var wal = await NewWalDbAsync(options);
        var db = wal.Db;
        await using var reader = new SqliteConnection(options.ConnectionString);
        await reader.OpenAsync();
        await using (var hold = reader.CreateCommand())
        {
            hold.CommandText = "BEGIN; SELECT COUNT(*) FROM t;";
            await hold.ExecuteScalarAsync(); // a read transaction: its snapshot keeps the WAL from being restarted
        }
        var held = await WriteSteadilyAsync(db, path, TimeSpan.FromSeconds(1));
        await using (var release = reader.CreateCommand())
        {
            release.CommandText = "COMMIT;";
            await release.ExecuteNonQueryAsync();
        }
        var after = await WriteSteadilyAsync(db, path, TimeSpan.FromSeconds(1));

        Assert.True(held.Rows > 0 && after.Rows > 0);
        Assert.Equal(0, held.Restarts);
        Assert.True(held.LargestWal > held.Written / 2, $"while read, the WAL keeps what is written ({held.LargestWal} of {held.Written} bytes)");
        Assert.True(after.Restarts >= 1, "once the reader let go, the WAL was restarted");
    }

    private static async Task<(long LargestWal, long Written, long Rows, int Restarts)> SteadyWritesAsync(long walLimit)
    {
        using var file = new TempSqliteFile("ihui-wal", TempSqliteFile.MemoryDirectory);
        var path = file.Path;
        var options = DatabaseOptions.Sqlite(path) with { CheckpointInterval = TimeSpan.FromMilliseconds(20), WalLimitBytes = walLimit };
        await using var wal = await NewWalDbAsync(options);
        return await WriteSteadilyAsync(wal.Db, path, TimeSpan.FromSeconds(2));
    }

    /// <summary>A store with its WAL checkpointer running, as the host runs it.</summary>
    private sealed class WalDb(Db db, SqliteWalCheckpointer checkpointer) : IAsyncDisposable
    {
        public Db Db => db;

        public async ValueTask DisposeAsync()
        {
            await checkpointer.StopAsync(CancellationToken.None);
            checkpointer.Dispose();
            await db.DisposeAsync();
        }
    }

    private static async Task<WalDb> NewWalDbAsync(DatabaseOptions options)
    {
        var db = new Db(options);
        await using (var setup = await db.Connections.OpenWriteAsync())
            await setup.ExecuteAsync("PRAGMA page_size=1024; PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
        var checkpointer = new SqliteWalCheckpointer(db);
        await checkpointer.StartAsync(CancellationToken.None);
        return new WalDb(db, checkpointer);
    }

    /// <summary>
    /// 16 writers inserting 2 KiB rows for <paramref name="duration"/>; meanwhile, the largest the WAL file got and how
    /// often it was started again (its header's checkpoint sequence number, which each restart moves on).
    /// </summary>
    private static async Task<(long LargestWal, long Written, long Rows, int Restarts)> WriteSteadilyAsync(Db db, string path, TimeSpan duration)
    {
        var payload = new byte[2048];
        var wal = new FileInfo(path + "-wal");
        var largest = 0L;
        var restarts = 0;
        uint? sequence = WalSequence(wal.FullName);
        using var stop = new CancellationTokenSource(duration);
        var writers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var rows = 0L;
            while (!stop.IsCancellationRequested)
            {
                await db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t (payload) VALUES (@payload)", new { payload }, tx));
                rows++;
            }
            return rows;
        })).ToArray();
        while (!stop.IsCancellationRequested)
        {
            wal.Refresh();
            if (wal.Exists) largest = Math.Max(largest, wal.Length);
            if (WalSequence(wal.FullName) is { } now)
            {
                if (sequence is { } before && now != before) restarts++;
                sequence = now;
            }
            await Task.Delay(5);
        }
        var written = (await Task.WhenAll(writers)).Sum();
        return (largest, written * payload.Length, written, restarts);
    }

    /// <summary>The WAL header's checkpoint sequence number (big-endian, at byte 12); null before the WAL has a header.</summary>
    private static uint? WalSequence(string walPath)
    {
        try
        {
            using var f = new FileStream(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[32];
            return f.Read(header) == 32 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[12..]) : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
