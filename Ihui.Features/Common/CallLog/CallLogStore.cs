using System.Data.Common;
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
    public string? Channels { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime FinishedAt { get; init; }
}

/// <summary>
/// The <c>calls</c> table. Rows are written behind the answer: <see cref="Enqueue"/> hands the row to the billing
/// journal and returns; the journal writes the rows queued with the charges of the same moment, in one transaction per
/// flush (on MySQL one multi-row INSERT), so a call neither waits for its own log row nor costs a commit of its own.
/// Rows still queued are written before the host stops (<see cref="FlushAsync"/>); a crash can lose the last few
/// milliseconds of log rows.
/// </summary>
public sealed class CallLogStore(Db db, Billing.Leases.BillingJournal journal)
{
    private const string Insert =
        "INSERT INTO calls (id, user_id, chat_id, route, vendor, model, status, usage_in, usage_out, usage_units, usage_estimated, " +
        "reserved, charged, latency_ms, error_code, error_message, channels, started_at, finished_at) VALUES (@Id, @UserId, @ChatId, @Route, " +
        "@Vendor, @Model, @Status, @UsageIn, @UsageOut, @UsageUnits, @UsageEstimated, @Reserved, @Charged, @LatencyMs, @ErrorCode, " +
        "@ErrorMessage, @Channels, @StartedAt, @FinishedAt)";

    public void Enqueue(CallRow row) => journal.Enqueue(Fit(row));

    /// <summary>Waits until every row enqueued before the call is written (or has failed and been logged).</summary>
    public Task FlushAsync() => journal.FlushAsync();

    /// <summary>Writes one row now (the journal's fallback when a batch's rows fail).</summary>
    public Task WriteAsync(CallRow row) => db.WriteAsync((c, tx) => InsertAsync(db, c, tx, Fit(row)));

    /// <summary>
    /// The widths of the <c>calls</c> text columns (the same in both dialects' migrations). A row always fits them: MySQL
    /// in strict mode refuses a value that is too long, and the row of a call that was billed would be lost with it.
    /// </summary>
    private static readonly (int Id, int UserId, int ChatId, int Route, int Vendor, int Model, int Status, int Error) Widths =
        (64, 36, 128, 255, 64, 128, 16, 1024);

    public static CallRow Fit(CallRow row) => row with
    {
        Id = Cut(row.Id, Widths.Id)!, UserId = Cut(row.UserId, Widths.UserId), ChatId = Cut(row.ChatId, Widths.ChatId),
        Route = Cut(row.Route, Widths.Route)!, Vendor = Cut(row.Vendor, Widths.Vendor), Model = Cut(row.Model, Widths.Model),
        Status = Cut(row.Status, Widths.Status)!, ErrorMessage = Cut(row.ErrorMessage, Widths.Error),
    };

    private static string? Cut(string? value, int width)
    {
        if (value is null || value.Length <= width) return value;
        // Never split a surrogate pair: half of one is not text either store can hold.
        var end = char.IsHighSurrogate(value[width - 1]) ? width - 1 : width;
        return value[..end];
    }

    /// <summary>Writes <paramref name="rows"/> inside the caller's write transaction: one statement per row on SQLite's writer (each prepared once), one multi-row INSERT on MySQL.</summary>
    public static Task WriteRowsAsync(Db db, DbConnection c, DbTransaction? tx, IReadOnlyList<CallRow> rows)
    {
        if (rows.Count == 0) return Task.CompletedTask;
        if (db.Dialect == SqlDialect.MySql) return InsertManyAsync(db, c, tx, rows);
        return InsertEachAsync(db, c, tx, rows);
    }

    private static async Task InsertEachAsync(Db db, DbConnection c, DbTransaction? tx, IReadOnlyList<CallRow> rows)
    {
        foreach (var row in rows) await InsertAsync(db, c, tx, row);
    }

    private static Task<int> InsertAsync(Db db, DbConnection c, DbTransaction? tx, CallRow row) =>
        Bind(db.Hot(c, tx, Insert), row, "").ExecuteAsync();

    /// <summary>All the rows in one statement; row i's parameters are named <c>@Name_i</c>.</summary>
    private static Task<int> InsertManyAsync(Db db, DbConnection c, DbTransaction? tx, IReadOnlyList<CallRow> rows)
    {
        var sql = new System.Text.StringBuilder(Insert.Length + rows.Count * (Values.Length + 80)).Append(Insert, 0, Insert.Length - Values.Length);
        for (var i = 0; i < rows.Count; i++)
            sql.Append(i == 0 ? "" : ", ").Append(ParameterName.Replace(Values, "$0_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var command = db.Hot(c, tx, sql.ToString());
        for (var i = 0; i < rows.Count; i++) command = Bind(command, rows[i], "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return command.ExecuteAsync();
    }

    /// <summary>The <c>(@Id, @UserId, …)</c> tuple of <see cref="Insert"/>.</summary>
    private static readonly string Values = Insert[(Insert.IndexOf(" VALUES ", StringComparison.Ordinal) + " VALUES ".Length)..];

    private static readonly System.Text.RegularExpressions.Regex ParameterName = new(@"@\w+", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static HotCommand Bind(HotCommand command, CallRow row, string suffix) =>
        command
            .Set("@Id" + suffix, row.Id).Set("@UserId" + suffix, row.UserId).Set("@ChatId" + suffix, row.ChatId).Set("@Route" + suffix, row.Route)
            .Set("@Vendor" + suffix, row.Vendor).Set("@Model" + suffix, row.Model).Set("@Status" + suffix, row.Status)
            .Set("@UsageIn" + suffix, row.UsageIn).Set("@UsageOut" + suffix, row.UsageOut).Set("@UsageUnits" + suffix, row.UsageUnits)
            .Set("@UsageEstimated" + suffix, row.UsageEstimated).Set("@Reserved" + suffix, row.Reserved).Set("@Charged" + suffix, row.Charged)
            .Set("@LatencyMs" + suffix, row.LatencyMs).Set("@ErrorCode" + suffix, row.ErrorCode).Set("@ErrorMessage" + suffix, row.ErrorMessage).Set("@Channels" + suffix, row.Channels)
            .Set("@StartedAt" + suffix, row.StartedAt).Set("@FinishedAt" + suffix, row.FinishedAt);

    public async Task<CallRow?> FindAsync(string id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<CallRow>(
            "SELECT id AS Id, user_id AS UserId, chat_id AS ChatId, route AS Route, vendor AS Vendor, model AS Model, status AS Status, " +
            "usage_in AS UsageIn, usage_out AS UsageOut, usage_units AS UsageUnits, usage_estimated AS UsageEstimated, reserved AS Reserved, " +
            "charged AS Charged, latency_ms AS LatencyMs, error_code AS ErrorCode, error_message AS ErrorMessage, channels AS Channels, started_at AS StartedAt, " +
            "finished_at AS FinishedAt FROM calls WHERE id = @Id", new { Id = id });
    }
}
