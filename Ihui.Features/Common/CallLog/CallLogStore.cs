using Dapper;
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

public sealed class CallLogStore(Db db)
{
    public Task WriteAsync(CallRow row) =>
        db.ExecuteWriteAsync(
            "INSERT INTO calls (id, user_id, chat_id, route, vendor, model, status, usage_in, usage_out, usage_units, usage_estimated, " +
            "reserved, charged, latency_ms, error_code, error_message, started_at, finished_at) VALUES (@Id, @UserId, @ChatId, @Route, " +
            "@Vendor, @Model, @Status, @UsageIn, @UsageOut, @UsageUnits, @UsageEstimated, @Reserved, @Charged, @LatencyMs, @ErrorCode, " +
            "@ErrorMessage, @StartedAt, @FinishedAt)", row);

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
