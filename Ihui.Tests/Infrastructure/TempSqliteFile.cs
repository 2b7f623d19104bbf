using Microsoft.Data.Sqlite;

namespace Ihui.Tests.Infrastructure;

/// <summary>A SQLite file of a test's own in the temp directory; disposing it closes pooled connections and deletes it with its WAL.</summary>
public sealed class TempSqliteFile(string prefix, string? directory = null) : IDisposable
{
    /// <summary>
    /// Memory-backed when the machine has one (<c>/dev/shm</c>): for tests of the WAL's checkpoints, whose timing would
    /// otherwise hang on how long the disk takes to sync (on CI it is shared with a MariaDB server under test load).
    /// </summary>
    public static string? MemoryDirectory => Directory.Exists("/dev/shm") ? "/dev/shm" : null;

    public string Path { get; } = System.IO.Path.Combine(directory ?? System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in (string[])["", "-wal", "-shm"]) File.Delete(Path + suffix);
    }
}
