using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;
using MySqlConnector;

namespace Ihui.Features.Common.Data;

public enum SqlDialect { Sqlite, MySql }

/// <summary>
/// Which database to use. <c>DATABASE_URL</c> (incl. the <c>mysql+pymysql://</c> form) or <c>DB_HOST</c>
/// select MySQL/MariaDB; otherwise an embedded SQLite file (<c>SQLITE_PATH</c>, default <c>ihui.db</c>).
/// </summary>
public sealed record DatabaseOptions(SqlDialect Dialect, string ConnectionString)
{
    /// <summary>
    /// SQLite only: how often the WAL is copied into the database file (<c>SQLITE_CHECKPOINT_SECONDS</c>). A checkpoint
    /// syncs the disk; rarer ones mean fewer stalls for the writer and a longer WAL in between.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(DefaultCheckpointSeconds);

    public const double DefaultCheckpointSeconds = 5;

    /// <summary>
    /// SQLite only: the page size of a new database file (<c>SQLITE_PAGE_SIZE</c>, a power of two from 512 to 65536).
    /// Every commit writes each page it changed to the WAL, and a billed call changes a few rows in several B-trees:
    /// 1 KiB pages write a quarter of what 4 KiB pages do (measured in bench/: fewer checkpoint stalls, more calls/s).
    /// </summary>
    public int PageSize { get; init; } = DefaultPageSize;

    public const int DefaultPageSize = 1024;

    /// <summary>
    /// SQLite only: how large the WAL may grow before it is started again from its beginning (<c>SQLITE_WAL_LIMIT_MB</c>).
    /// Under a steady stream of writes a passive checkpoint never catches up with the writer, so the WAL is never
    /// restarted by itself and grows without bound (300 MB in 20 s at saturation in bench/), every commit then
    /// extending the file. Past this size the checkpointer briefly takes the writer's turn to restart it.
    /// </summary>
    public long WalLimitBytes { get; init; } = DefaultWalLimitMb * 1024 * 1024;

    public const int DefaultWalLimitMb = 16;

    /// <summary>
    /// SQLite only: how long a statement waits for a lock another process holds (<c>SQLITE_BUSY_TIMEOUT_MS</c>) before it
    /// fails as busy (a transient error: settlements and refunds retry it, a request answers 503).
    /// </summary>
    public int BusyTimeoutMs { get; init; } = DefaultBusyTimeoutMs;

    public const int DefaultBusyTimeoutMs = 10_000;

    /// <summary>
    /// MySQL only: the pool of connections for reads (<c>DB_POOL_SIZE</c>). Reads (sign-ins, lookups, admin queries) wait
    /// here for a connection; they never take one from <see cref="WritePoolSize"/>.
    /// </summary>
    public int PoolSize { get; init; } = DefaultPoolSize;

    public const int DefaultPoolSize = 64;

    /// <summary>
    /// MySQL only: the pool of the writer (<c>DB_WRITE_POOL_SIZE</c>): reservations, settlements, refunds and every other
    /// write. Money has its own connections, so a burst of unauthenticated traffic cannot take those billing needs.
    /// </summary>
    public int WritePoolSize { get; init; } = DefaultWritePoolSize;

    public const int DefaultWritePoolSize = 32;

    /// <summary>MySQL only: how long opening a connection (or waiting for one of a full pool) may take (<c>DB_CONNECT_TIMEOUT_SECONDS</c>).</summary>
    public int ConnectTimeoutSeconds { get; init; } = DefaultConnectTimeoutSeconds;

    public const int DefaultConnectTimeoutSeconds = 15;

    /// <summary>MySQL: the connection string of the read pool or of the write pool (two pools: they differ in name and size).</summary>
    public string PoolConnectionString(bool write)
    {
        if (Dialect != SqlDialect.MySql) return ConnectionString;
        return new MySqlConnectionStringBuilder(ConnectionString)
        {
            ApplicationName = write ? "ihui-write" : "ihui-read",
            MaximumPoolSize = (uint)(write ? WritePoolSize : PoolSize),
            ConnectionTimeout = (uint)ConnectTimeoutSeconds,
        }.ConnectionString;
    }

    public static DatabaseOptions From(IConfiguration c)
    {
        var options = FromSettings(c);
        var pool = Setting.Int(c, "DB_POOL_SIZE", DefaultPoolSize, 1, 10_000);
        var writePool = Setting.Int(c, "DB_WRITE_POOL_SIZE", DefaultWritePoolSize, 1, 10_000);
        var connectTimeout = Setting.Int(c, "DB_CONNECT_TIMEOUT_SECONDS", DefaultConnectTimeoutSeconds, 1, 3600);
        return options with { PoolSize = pool, WritePoolSize = writePool, ConnectTimeoutSeconds = connectTimeout };
    }

    private static DatabaseOptions FromSettings(IConfiguration c)
    {
        var url = Setting.Text(c, "DATABASE_URL");
        var port = Setting.Int(c, "DB_PORT", 3306, 1, 65535);
        if (url is not null) return FromUrl(url);
        if (Setting.Text(c, "DB_HOST") is { } host)
        {
            var b = new MySqlConnectionStringBuilder
            {
                Server = host,
                Port = (uint)port,
                UserID = c["DB_USER"] ?? "root",
                Password = c["DB_PASSWORD"] ?? "",
                Database = c["DB_NAME"] ?? "ihui_public",
            };
            return MySql(b);
        }
        var path = c["SQLITE_PATH"] is { Length: > 0 } p ? p : "ihui.db";
        return Sqlite(path) with
        {
            CheckpointInterval = CheckpointSeconds(c), PageSize = PageSizeFrom(c), WalLimitBytes = WalLimitFrom(c),
            BusyTimeoutMs = Setting.Int(c, "SQLITE_BUSY_TIMEOUT_MS", DefaultBusyTimeoutMs, 1, 600_000),
        };
    }

    private static TimeSpan CheckpointSeconds(IConfiguration c) => Setting.Seconds(c, "SQLITE_CHECKPOINT_SECONDS", DefaultCheckpointSeconds, 3600);

    private static int PageSizeFrom(IConfiguration c)
    {
        const string accepts = "expected a power of two from 512 to 65536";
        var size = Setting.Text(c, "SQLITE_PAGE_SIZE") is { } text && !int.TryParse(text, out _)
            ? throw Setting.Invalid("SQLITE_PAGE_SIZE", text, accepts)
            : Setting.Int(c, "SQLITE_PAGE_SIZE", DefaultPageSize, 512, 65536);
        return (size & (size - 1)) == 0 ? size : throw Setting.Invalid("SQLITE_PAGE_SIZE", c["SQLITE_PAGE_SIZE"]!, accepts);
    }

    private static long WalLimitFrom(IConfiguration c) => Setting.Int(c, "SQLITE_WAL_LIMIT_MB", DefaultWalLimitMb, 1, 4096) * 1024L * 1024;

    public static DatabaseOptions Sqlite(string path) =>
        new(SqlDialect.Sqlite, $"Data Source={path};Pooling=True;Default Timeout=30");

    public static DatabaseOptions FromUrl(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var usage = new InvalidSettingException("DATABASE_URL", "DATABASE_URL is not usable: expected mysql://user:password@host:port/name or sqlite:///path/file.db");
        if (schemeEnd < 0) throw usage;
        var scheme = url[..schemeEnd].ToLowerInvariant();
        if (scheme.StartsWith("sqlite", StringComparison.Ordinal)) return Sqlite(url[(schemeEnd + 3)..]);
        if (!scheme.StartsWith("mysql", StringComparison.Ordinal) && !scheme.StartsWith("mariadb", StringComparison.Ordinal))
            throw new InvalidSettingException("DATABASE_URL", $"DATABASE_URL scheme '{scheme}' is not supported: expected mysql:// or sqlite://");

        if (!Uri.TryCreate("mysql" + url[schemeEnd..], UriKind.Absolute, out var uri) || uri.Host.Length == 0) throw usage;
        var userInfo = uri.UserInfo.Split(':', 2);
        var b = new MySqlConnectionStringBuilder
        {
            Server = uri.Host,
            Port = uri.Port > 0 ? (uint)uri.Port : 3306,
            UserID = Uri.UnescapeDataString(userInfo[0]),
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "",
            Database = uri.AbsolutePath.Trim('/'),
        };
        return MySql(b);
    }

    private static DatabaseOptions MySql(MySqlConnectionStringBuilder b)
    {
        b.CharacterSet = "utf8mb4";
        b.AllowUserVariables = true;
        b.UseAffectedRows = true;
        b.ConnectionReset = true;
        return new(SqlDialect.MySql, b.ConnectionString);
    }

    /// <summary>The connection string without its password, for logs.</summary>
    public string Describe() => Dialect == SqlDialect.Sqlite
        ? ConnectionString.Split(';')[0]
        : new MySqlConnectionStringBuilder(ConnectionString) { Password = "***" }.ConnectionString;
}
