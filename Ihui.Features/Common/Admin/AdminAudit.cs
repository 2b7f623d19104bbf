using System.Data.Common;
using Dapper;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Common.Admin;

/// <summary>Who did what to which target, and when: one <c>admin_audit</c> row per admin action.</summary>
public sealed class AdminAudit(Db db, TimeProvider clock)
{
    private const string Insert =
        "INSERT INTO admin_audit (id, admin_id, admin_name, action, target, detail, created_at) VALUES (@Id, @AdminId, @AdminName, @Action, @Target, @Detail, @Now)";

    /// <summary>Writes the row in the caller's transaction, so the action and its record commit together.</summary>
    public Task RecordAsync(DbConnection c, DbTransaction? tx, AdminRecord by, string action, string? target, string? detail = null) =>
        c.ExecuteAsync(Insert, Row(by, action, target, detail), tx);

    /// <summary>The row as a write of its own (through <see cref="Db.WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>).</summary>
    public Task RecordAsync(AdminRecord by, string action, string? target, string? detail = null) =>
        db.ExecuteWriteAsync(Insert, Row(by, action, target, detail));

    private object Row(AdminRecord by, string action, string? target, string? detail) => new
    {
        Id = Guid.CreateVersion7().ToString(), AdminId = by.Id, AdminName = by.Name, Action = action,
        Target = target is { Length: > 255 } ? target[..255] : target,
        Detail = detail is { Length: > 1024 } ? detail[..1024] : detail,
        Now = clock.GetUtcNow().UtcDateTime,
    };
}
