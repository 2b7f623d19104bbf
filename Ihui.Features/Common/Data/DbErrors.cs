using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Ihui.Features.Common.Data;

public static class DbErrors
{
    /// <summary>A UNIQUE constraint refused the row (SQLite constraint error, MySQL duplicate key).</summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 19 } s => s.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase),
        MySqlException m => m.ErrorCode == MySqlErrorCode.DuplicateKeyEntry,
        _ => false,
    };

    /// <summary>
    /// InnoDB chose the transaction as a deadlock victim (rolled back whole) or a lock was not granted in time (only the
    /// statement is rolled back, so callers roll the rest back before running it again on a fresh connection): safe to retry.
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout };
}
