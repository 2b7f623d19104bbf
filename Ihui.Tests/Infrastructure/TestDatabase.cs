using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Ihui.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one test host: a temporary SQLite file by default, or a new MySQL/MariaDB
/// database when <c>IHUI_TEST_MYSQL</c> holds a server connection string. The same tests run on both.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static string? MySqlServer => Environment.GetEnvironmentVariable("IHUI_TEST_MYSQL") is { Length: > 0 } s ? s : null;
    public static bool IsMySql => MySqlServer is not null;

    private readonly string? _sqlitePath;
    private readonly string? _mysqlName;

    public IReadOnlyDictionary<string, string> Settings { get; }

    private TestDatabase(string? sqlitePath, string? mysqlName, IReadOnlyDictionary<string, string> settings)
    {
        _sqlitePath = sqlitePath;
        _mysqlName = mysqlName;
        Settings = settings;
    }

    public static async Task<TestDatabase> CreateAsync()
    {
        if (MySqlServer is not { } server)
        {
            var path = Path.Combine(Path.GetTempPath(), $"ihui-test-{Guid.NewGuid():N}.db");
            return new TestDatabase(path, null, new Dictionary<string, string> { ["SQLITE_PATH"] = path });
        }

        var name = $"ihui_t_{Guid.NewGuid():N}"[..30];
        var b = new MySqlConnectionStringBuilder(server);
        await using (var c = new MySqlConnection(b.ConnectionString))
        {
            await c.OpenAsync();
            await using var cmd = new MySqlCommand($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4", c);
            await cmd.ExecuteNonQueryAsync();
        }
        return new TestDatabase(null, name, new Dictionary<string, string>
        {
            ["DB_HOST"] = b.Server,
            ["DB_PORT"] = b.Port.ToString(),
            ["DB_USER"] = b.UserID,
            ["DB_PASSWORD"] = b.Password,
            ["DB_NAME"] = name,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqlitePath is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in (string[])["", "-wal", "-shm"])
                try { File.Delete(_sqlitePath + suffix); } catch (IOException) { }
        }
        if (_mysqlName is not null && MySqlServer is { } server)
        {
            MySqlConnection.ClearAllPools();
            await using var c = new MySqlConnection(server);
            await c.OpenAsync();
            await using var cmd = new MySqlCommand($"DROP DATABASE IF EXISTS `{_mysqlName}`", c);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
