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

    public static DatabaseOptions From(IConfiguration c)
    {
        var url = c["DATABASE_URL"];
        if (!string.IsNullOrWhiteSpace(url)) return FromUrl(url);
        if (!string.IsNullOrWhiteSpace(c["DB_HOST"]))
        {
            var b = new MySqlConnectionStringBuilder
            {
                Server = c["DB_HOST"],
                Port = uint.TryParse(c["DB_PORT"], out var port) ? port : 3306,
                UserID = c["DB_USER"] ?? "root",
                Password = c["DB_PASSWORD"] ?? "",
                Database = c["DB_NAME"] ?? "ihui_public",
            };
            return MySql(b);
        }
        var path = c["SQLITE_PATH"] is { Length: > 0 } p ? p : "ihui.db";
        return Sqlite(path) with { CheckpointInterval = CheckpointSeconds(c), PageSize = PageSizeFrom(c), WalLimitBytes = WalLimitFrom(c) };
    }

    private static TimeSpan CheckpointSeconds(IConfiguration c) =>
        c["SQLITE_CHECKPOINT_SECONDS"] is not { Length: > 0 } text
            ? TimeSpan.FromSeconds(DefaultCheckpointSeconds)
            : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 3600
                ? TimeSpan.FromSeconds(s)
                : throw new InvalidOperationException("SQLITE_CHECKPOINT_SECONDS must be a number of seconds above 0 and at most 3600");

    private static int PageSizeFrom(IConfiguration c)
    {
        if (c["SQLITE_PAGE_SIZE"] is not { Length: > 0 } text) return DefaultPageSize;
        return int.TryParse(text, out var size) && size is >= 512 and <= 65536 && (size & (size - 1)) == 0
            ? size
            : throw new InvalidOperationException("SQLITE_PAGE_SIZE must be a power of two from 512 to 65536");
    }

    private static long WalLimitFrom(IConfiguration c)
    {
        if (c["SQLITE_WAL_LIMIT_MB"] is not { Length: > 0 } text) return DefaultWalLimitMb * 1024L * 1024;
        return int.TryParse(text, out var mb) && mb is >= 1 and <= 4096
            ? mb * 1024L * 1024
            : throw new InvalidOperationException("SQLITE_WAL_LIMIT_MB must be a whole number of MiB from 1 to 4096");
    }

    public static DatabaseOptions Sqlite(string path) =>
        new(SqlDialect.Sqlite, $"Data Source={path};Pooling=True;Default Timeout=30");

    public static DatabaseOptions FromUrl(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) throw new InvalidOperationException("DATABASE_URL must look like mysql://user:password@host:port/name");
        var scheme = url[..schemeEnd].ToLowerInvariant();
        if (scheme.StartsWith("sqlite", StringComparison.Ordinal)) return Sqlite(url[(schemeEnd + 3)..]);
        if (!scheme.StartsWith("mysql", StringComparison.Ordinal) && !scheme.StartsWith("mariadb", StringComparison.Ordinal))
            throw new InvalidOperationException($"DATABASE_URL scheme '{scheme}' is not supported (use mysql:// or sqlite://)");

        var uri = new Uri("mysql" + url[schemeEnd..]);
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
