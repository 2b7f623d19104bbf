using System.Data.Common;
using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Ihui.Features.Common.Tasks;

/// <summary>One row of <c>tasks</c>.</summary>
public sealed record TaskRow
{
    public string Id { get; init; } = "";
    public string UserId { get; init; } = "";
    public string? ChatId { get; init; }
    public string Route { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? VendorTaskId { get; init; }
    /// <summary>The channel that accepted the vendor task (its polls go there); null = the vendor's default channel.</summary>
    public string? ChannelId { get; init; }
    public string Status { get; init; } = "";
    public int Progress { get; init; }
    public string? ResultUrls { get; init; }
    public string? Error { get; init; }
    public string Payload { get; init; } = "{}";
    public string PriceModel { get; init; } = "";
    public long Reserved { get; init; }
    public long Charged { get; init; }
    public int Attempts { get; init; }
    public int Polls { get; init; }
    public DateTime Deadline { get; init; }
    public DateTime CreatedAt { get; init; }

    public TaskState State => TaskStates.FromWire(Status);

    public TaskView ToView() => new(Id, State, Progress, Urls(ResultUrls), Error, Reserved, Charged);

    public static string? UrlsJson(IReadOnlyList<string>? urls) => urls is { Count: > 0 } ? JsonSerializer.Serialize(urls) : null;

    private static IReadOnlyList<string> Urls(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
}

/// <summary>The SQL of the task engine; the one place that knows the two dialects' locking.</summary>
public sealed class TaskStore(Db db)
{
    public const string Active = "('queued','running')";

    private const string Columns =
        "id AS Id, user_id AS UserId, chat_id AS ChatId, route AS Route, kind AS Kind, vendor_task_id AS VendorTaskId, channel_id AS ChannelId, status AS Status, " +
        "progress AS Progress, result_urls AS ResultUrls, error AS Error, payload AS Payload, price_model AS PriceModel, reserved AS Reserved, " +
        "charged AS Charged, attempts AS Attempts, polls AS Polls, deadline AS Deadline, created_at AS CreatedAt";

    public Db Db => db;

    /// <summary>Tasks not yet terminal, by status, across every instance on this database (for the queue-depth gauge).</summary>
    public async Task<IReadOnlyList<(string Status, long Count)>> CountActiveAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string, long)>(new CommandDefinition(
            $"SELECT status, COUNT(*) FROM tasks WHERE status IN {Active} GROUP BY status", cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<TaskRow?> FindAsync(string id, string? userId = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<TaskRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tasks WHERE id = @Id" + (userId is null ? "" : " AND user_id = @UserId"),
            new { Id = id, UserId = userId }, cancellationToken: ct));
    }

    public async Task<TaskRow?> FindByKeyAsync(string userId, string key, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<TaskRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tasks WHERE user_id = @UserId AND idempotency_key = @Key", new { UserId = userId, Key = key }, cancellationToken: ct));
    }

    public static Task InsertAsync(DbConnection c, DbTransaction? tx, TaskRow row, string? idempotencyKey, DateTime nextPollAt, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO tasks (id, user_id, chat_id, route, kind, vendor_task_id, status, progress, payload, price_model, reserved, charged, " +
            "attempts, polls, next_poll_at, deadline, idempotency_key, created_at, updated_at) VALUES (@Id, @UserId, @ChatId, @Route, @Kind, NULL, " +
            "'queued', 0, @Payload, @PriceModel, @Reserved, 0, 0, 0, @NextPollAt, @Deadline, @Key, @Now, @Now)",
            new
            {
                row.Id, row.UserId, row.ChatId, row.Route, row.Kind, row.Payload, row.PriceModel, row.Reserved, NextPollAt = nextPollAt,
                row.Deadline, Key = idempotencyKey, Now = now,
            }, tx, cancellationToken: ct));

    public static bool IsUniqueViolation(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        MySqlException m => m.ErrorCode == MySqlErrorCode.DuplicateKeyEntry,
        _ => false,
    };

    public async Task<bool> SetVendorTaskIdAsync(string id, string vendorTaskId, string? channelId, DateTime now) =>
        await db.ExecuteWriteAsync(
            $"UPDATE tasks SET vendor_task_id = @Vendor, channel_id = @Channel, updated_at = @Now WHERE id = @Id AND status IN {Active}",
            new { Id = id, Vendor = vendorTaskId, Channel = channelId, Now = now }) == 1;

    /// <summary>
    /// Takes up to <paramref name="limit"/> due tasks whose lease is free, as one write. MySQL/MariaDB: <c>FOR UPDATE SKIP
    /// LOCKED</c> so concurrent pollers pass over each other's rows; SQLite: one conditional UPDATE per row on the writer.
    /// </summary>
    public async Task<List<TaskRow>> ClaimAsync(string owner, DateTime now, TimeSpan lease, int limit, CancellationToken ct)
    {
        const string Due = $"status IN {Active} AND next_poll_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)";
        var args = new { Owner = owner, Now = now, Until = now + lease, Limit = limit };
        try
        {
            return await db.WriteAsync(async (c, tx) =>
            {
                List<string> claimed;
                if (db.Dialect == SqlDialect.MySql)
                {
                    claimed = (await c.QueryAsync<string>(new CommandDefinition(
                        $"SELECT id FROM tasks WHERE {Due} ORDER BY next_poll_at LIMIT @Limit FOR UPDATE SKIP LOCKED", args, tx, cancellationToken: ct))).ToList();
                    if (claimed.Count > 0)
                        await c.ExecuteAsync(new CommandDefinition(
                            "UPDATE tasks SET lease_owner = @Owner, lease_until = @Until WHERE id IN @Ids",
                            new { args.Owner, args.Until, Ids = claimed }, tx, cancellationToken: ct));
                }
                else
                {
                    var candidates = (await c.QueryAsync<string>(new CommandDefinition(
                        $"SELECT id FROM tasks WHERE {Due} ORDER BY next_poll_at LIMIT @Limit", args, tx, cancellationToken: ct))).ToList();
                    claimed = new List<string>(candidates.Count);
                    foreach (var id in candidates)
                        if (await c.ExecuteAsync(new CommandDefinition(
                                $"UPDATE tasks SET lease_owner = @Owner, lease_until = @Until WHERE id = @Id AND {Due}",
                                new { args.Owner, args.Now, args.Until, Id = id }, tx, cancellationToken: ct)) == 1)
                            claimed.Add(id);
                }
                if (claimed.Count == 0) return new List<TaskRow>();
                return (await c.QueryAsync<TaskRow>(new CommandDefinition(
                    $"SELECT {Columns} FROM tasks WHERE id IN @Ids AND lease_owner = @Owner", new { Ids = claimed, Owner = owner }, tx,
                    cancellationToken: ct))).ToList();
            }, ct);
        }
        catch (MySqlException e) when (DbErrors.IsDeadlockOrLockWait(e))
        {
            // InnoDB chose this claim as a deadlock victim again and again: nothing is claimed; the next scan tries again.
            return [];
        }
    }

    /// <summary>Records a non-terminal poll and gives the lease back; false when the task is no longer this poller's.</summary>
    public async Task<bool> RescheduleAsync(string id, string owner, TaskState state, int progress, int attempts, int polls, DateTime nextPollAt, string? error, DateTime now) =>
        await db.ExecuteWriteAsync(
            "UPDATE tasks SET status = @Status, progress = @Progress, attempts = @Attempts, polls = @Polls, next_poll_at = @Next, error = @Error, " +
            $"lease_owner = NULL, lease_until = NULL, updated_at = @Now WHERE id = @Id AND lease_owner = @Owner AND status IN {Active}",
            new { Id = id, Owner = owner, Status = state.ToWire(), Progress = progress, Attempts = attempts, Polls = polls, Next = nextPollAt, Error = error, Now = now }) == 1;

    /// <summary>The guarded terminal transition: exactly one caller gets 1 and may move money in the same transaction.</summary>
    public static async Task<bool> FinishAsync(DbConnection c, DbTransaction? tx, string id, TaskState state, int progress, string? urlsJson, string? error, DateTime now) =>
        await c.ExecuteAsync(
            "UPDATE tasks SET status = @Status, progress = @Progress, result_urls = @Urls, error = @Error, finished_at = @Now, updated_at = @Now, " +
            $"lease_owner = NULL, lease_until = NULL WHERE id = @Id AND status IN {Active}",
            new { Id = id, Status = state.ToWire(), Progress = progress, Urls = urlsJson, Error = error, Now = now }, tx) == 1;

    public static Task SetChargedAsync(DbConnection c, DbTransaction? tx, string id, long charged) =>
        c.ExecuteAsync("UPDATE tasks SET charged = @Charged WHERE id = @Id", new { Id = id, Charged = charged }, tx);

    /// <summary>A failed vendor create frees the idempotency key, so the caller's retry can try again.</summary>
    public static Task ReleaseKeyAsync(DbConnection c, DbTransaction? tx, string id) =>
        c.ExecuteAsync("UPDATE tasks SET idempotency_key = NULL WHERE id = @Id", new { Id = id }, tx);
}
