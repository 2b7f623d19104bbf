using System.Data.Common;
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
    /// statement is rolled back, so callers roll the rest back before running it again on a fresh connection): nothing of
    /// it stands, so it is safe to run again at once.
    /// </summary>
    public static bool IsDeadlockOrLockWait(Exception e) =>
        e is MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout };

    /// <summary>
    /// A failure that running the work again later may get past: a deadlock or lock wait, no connection to be had (the pool
    /// exhausted, a connect timeout, the server gone or restarting), SQLite busy or locked by another process. Unlike
    /// <see cref="IsDeadlockOrLockWait"/>, the work may have been applied (a connection lost after its COMMIT was sent):
    /// whoever runs it again makes sure it does not apply twice.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        MySqlException m => m.IsTransient || m.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout
            or MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ConnectionCountError or MySqlErrorCode.TooManyUserConnections
            or MySqlErrorCode.ServerShutdown
            || m.InnerException is IOException or System.Net.Sockets.SocketException or EndOfStreamException or TimeoutException,
        SqliteException { SqliteErrorCode: 5 or 6 } => true,
        DbException { IsTransient: true } => true,
        _ => false,
    };
}
