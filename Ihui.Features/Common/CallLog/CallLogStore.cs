using System.Collections.Concurrent;
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
/// The <c>calls</c> table. Rows are written behind the answer: <see cref="Enqueue"/> hands the row to the database's
/// writer and returns, so a call does not wait for its own log row. Rows still pending are written before the host
/// stops (<see cref="FlushAsync"/>); a crash can lose the last few milliseconds of log rows, never money (the ledger
/// is written synchronously).
/// </summary>
public sealed class CallLogStore(Db db, ILogger<CallLogStore> logger)
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public void Enqueue(CallRow row)
    {
        var write = WriteAsync(row);
        if (write.IsCompleted) return;
        _pending.TryAdd(write, 0);
        _ = write.ContinueWith(t =>
        {
            _pending.TryRemove(t, out _);
            if (t.Exception is { } e) logger.LogError(e.GetBaseException(), "Could not write call log row {CallId}", row.Id);
        }, TaskScheduler.Default);
    }

    /// <summary>Waits until every enqueued row is written.</summary>
    public async Task FlushAsync()
    {
        while (!_pending.IsEmpty)
            await Task.WhenAll(_pending.Keys.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default)));
    }

    public Task WriteAsync(CallRow row) =>
        db.WriteAsync((c, tx) => db.Hot(c, tx,
                "INSERT INTO calls (id, user_id, chat_id, route, vendor, model, status, usage_in, usage_out, usage_units, usage_estimated, " +
                "reserved, charged, latency_ms, error_code, error_message, started_at, finished_at) VALUES (@Id, @UserId, @ChatId, @Route, " +
                "@Vendor, @Model, @Status, @UsageIn, @UsageOut, @UsageUnits, @UsageEstimated, @Reserved, @Charged, @LatencyMs, @ErrorCode, " +
                "@ErrorMessage, @StartedAt, @FinishedAt)")
            .Set("@Id", row.Id).Set("@UserId", row.UserId).Set("@ChatId", row.ChatId).Set("@Route", row.Route).Set("@Vendor", row.Vendor)
            .Set("@Model", row.Model).Set("@Status", row.Status).Set("@UsageIn", row.UsageIn).Set("@UsageOut", row.UsageOut)
            .Set("@UsageUnits", row.UsageUnits).Set("@UsageEstimated", row.UsageEstimated).Set("@Reserved", row.Reserved)
            .Set("@Charged", row.Charged).Set("@LatencyMs", row.LatencyMs).Set("@ErrorCode", row.ErrorCode).Set("@ErrorMessage", row.ErrorMessage)
            .Set("@StartedAt", row.StartedAt).Set("@FinishedAt", row.FinishedAt)
            .ExecuteAsync());

    public async Task<CallRow?> FindAsync(string id)
    {
        await using var c = await db.OpenAsync();
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
