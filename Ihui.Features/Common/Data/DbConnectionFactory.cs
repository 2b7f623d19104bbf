using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Ihui.Features.Common.Data;

/// <summary>
/// Opens connections to the configured store, for reads or for writes. MySQL: from two pools (<c>DB_POOL_SIZE</c> for
/// reads, <c>DB_WRITE_POOL_SIZE</c> for the writer), so reads cannot take the connections money needs. SQLite: every
/// connection opened for reads is read-only (<c>PRAGMA query_only</c>), so a write that bypasses the writer fails at
/// once instead of racing it; only the writer, the migrations and the WAL checkpointer open connections that write.
/// </summary>
public sealed class DbConnectionFactory(DatabaseOptions options)
{
    private readonly string _read = options.PoolConnectionString(write: false);
    private readonly string _write = options.PoolConnectionString(write: true);

    public DatabaseOptions Options => options;
    public SqlDialect Dialect => options.Dialect;

    /// <summary>A connection for reads (on SQLite it refuses to write).</summary>
    public Task<DbConnection> OpenReadAsync(CancellationToken ct = default) => OpenAsync(write: false, ct);

    /// <summary>A connection that writes: the writer's own, or the migrations'. Everything else writes through <see cref="Db"/>.</summary>
    public Task<DbConnection> OpenWriteAsync(CancellationToken ct = default) => OpenAsync(write: true, ct);

    private async Task<DbConnection> OpenAsync(bool write, CancellationToken ct)
    {
        if (options.Dialect == SqlDialect.MySql)
        {
            var mysql = new MySqlConnection(write ? _write : _read);
            await mysql.OpenAsync(ct);
            return mysql;
        }
        var sqlite = new SqliteConnection(options.ConnectionString);
        await sqlite.OpenAsync(ct);
        await using var pragma = sqlite.CreateCommand();
        pragma.CommandText = SqlitePragmas(write);
        await pragma.ExecuteNonQueryAsync(ct);
        return sqlite;
    }

    /// <summary>SQLite's connection for the checkpointer's own thread (it blocks in fsync, off the request path).</summary>
    public SqliteConnection OpenSqliteForCheckpoints()
    {
        var c = new SqliteConnection(options.ConnectionString);
        c.Open();
        using var pragma = c.CreateCommand();
        pragma.CommandText = SqlitePragmas(write: true);
        pragma.ExecuteNonQuery();
        return c;
    }

    /// <summary>
    /// WAL + NORMAL: commits are atomic and consistent; only a power loss may drop the last commits. Pooled connections are
    /// shared by readers and writers, so each open says which it is.
    /// </summary>
    private string SqlitePragmas(bool write) =>
        $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={options.BusyTimeoutMs}; PRAGMA query_only={(write ? 0 : 1)};";
}
