using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Common.CallLog;

public sealed record CallRow
{
    public string Id { get; init; } = "";
    public string? UserId { get; init; }
    public string? ChatId { get; init; }
    public string Route { get; init; } = "";
    public string? Vendor { get; init; }
    public string? Model { get; init; }
    public string Status { get; init; } = "";
    public long UsageIn { get; init; }
    public long UsageOut { get; init; }
    public decimal UsageUnits { get; init; }
    public bool UsageEstimated { get; init; }
    public long Reserved { get; init; }
    public long Charged { get; init; }
    public int LatencyMs { get; init; }
    public int? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime FinishedAt { get; init; }
}

/// <summary>
/// The <c>calls</c> table. Rows are written behind the answer: <see cref="Enqueue"/> queues the row and returns, and one
/// background loop writes whatever is queued in one transaction, so a call neither waits for its own log row nor costs
/// a commit of its own. Rows still queued are written before the host stops (<see cref="FlushAsync"/>); a crash can lose
/// the last few milliseconds of log rows, never money (the ledger is written synchronously).
/// </summary>
public sealed class CallLogStore : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const string Insert =
        "INSERT INTO calls (id, user_id, chat_id, route, vendor, model, status, usage_in, usage_out, usage_units, usage_estimated, " +
        "reserved, charged, latency_ms, error_code, error_message, started_at, finished_at) VALUES (@Id, @UserId, @ChatId, @Route, " +
        "@Vendor, @Model, @Status, @UsageIn, @UsageOut, @UsageUnits, @UsageEstimated, @Reserved, @Charged, @LatencyMs, @ErrorCode, " +
        "@ErrorMessage, @StartedAt, @FinishedAt)";

    private readonly Db _db;
    private readonly ILogger<CallLogStore> _logger;
    private readonly Channel<CallRow> _rows = Channel.CreateUnbounded<CallRow>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _queued;
    private long _done;

    public CallLogStore(Db db, ILogger<CallLogStore> logger)
    {
        _db = db;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public void Enqueue(CallRow row)
    {
        Interlocked.Increment(ref _queued);
        if (!_rows.Writer.TryWrite(row))
        {
            Interlocked.Increment(ref _done);
            _logger.LogError("Call log is closed; row {CallId} not written", row.Id);
        }
    }

    /// <summary>Waits until every row enqueued before the call is written (or has failed and been logged).</summary>
    public async Task FlushAsync()
    {
        var target = Interlocked.Read(ref _queued);
        while (Interlocked.Read(ref _done) < target && !_writer.IsCompleted) await Task.Delay(2);
    }

    /// <summary>Writes one row now (the loop's fallback when a batch fails).</summary>
    public Task WriteAsync(CallRow row) => _db.WriteAsync((c, tx) => InsertAsync(c, tx, row));

    private async Task WriteLoopAsync()
    {
        var batch = new List<CallRow>(MaxBatch);
        while (await _rows.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _rows.Reader.TryRead(out var row)) batch.Add(row);
            try
            {
                await _db.WriteAsync(async (c, tx) =>
                {
                    foreach (var row in batch) await InsertAsync(c, tx, row);
                });
            }
            catch (Exception)
            {
                // One bad row must not lose the others: write them one by one and report the ones that fail.
                foreach (var row in batch)
                {
                    try
                    {
                        await WriteAsync(row);
                    }
                    catch (Exception e)
                    {
                        _logger.LogError(e, "Could not write call log row {CallId}", row.Id);
                    }
                }
            }
            Interlocked.Add(ref _done, batch.Count);
        }
    }

    private Task<int> InsertAsync(DbConnection c, DbTransaction tx, CallRow row) =>
        _db.Hot(c, tx, Insert)
            .Set("@Id", row.Id).Set("@UserId", row.UserId).Set("@ChatId", row.ChatId).Set("@Route", row.Route).Set("@Vendor", row.Vendor)
            .Set("@Model", row.Model).Set("@Status", row.Status).Set("@UsageIn", row.UsageIn).Set("@UsageOut", row.UsageOut)
            .Set("@UsageUnits", row.UsageUnits).Set("@UsageEstimated", row.UsageEstimated).Set("@Reserved", row.Reserved)
            .Set("@Charged", row.Charged).Set("@LatencyMs", row.LatencyMs).Set("@ErrorCode", row.ErrorCode).Set("@ErrorMessage", row.ErrorMessage)
            .Set("@StartedAt", row.StartedAt).Set("@FinishedAt", row.FinishedAt)
            .ExecuteAsync();

    public async ValueTask DisposeAsync()
    {
        _rows.Writer.TryComplete();
        await _writer;
    }

    public async Task<CallRow?> FindAsync(string id)
    {
        await using var c = await _db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<CallRow>(
            "SELECT id AS Id, user_id AS UserId, chat_id AS ChatId, route AS Route, vendor AS Vendor, model AS Model, status AS Status, " +
            "usage_in AS UsageIn, usage_out AS UsageOut, usage_units AS UsageUnits, usage_estimated AS UsageEstimated, reserved AS Reserved, " +
            "charged AS Charged, latency_ms AS LatencyMs, error_code AS ErrorCode, error_message AS ErrorMessage, started_at AS StartedAt, " +
            "finished_at AS FinishedAt FROM calls WHERE id = @Id", new { Id = id });
    }
}

/// <summary>Writes the call rows still pending when the host stops.</summary>
public sealed class CallLogFlusher(CallLogStore store) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => store.FlushAsync().WaitAsync(cancellationToken);
}
