using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Ihui.Features.Common.Data;

/// <summary>Opens pooled connections to the configured store and knows where its SQL dialect differs.</summary>
public sealed class Db(DatabaseOptions options)
{
    public SqlDialect Dialect => options.Dialect;
    public DatabaseOptions Options => options;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = options.Dialect == SqlDialect.Sqlite
            ? new SqliteConnection(options.ConnectionString)
            : new MySqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>Row lock for read-modify-write inside a transaction (SQLite's write transaction already serialises).</summary>
    public string ForUpdate => options.Dialect == SqlDialect.MySql ? " FOR UPDATE" : "";
}
