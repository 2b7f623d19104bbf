using Microsoft.Data.Sqlite;

namespace Ihui.Tests.Infrastructure;

/// <summary>A SQLite file of a test's own in the temp directory; disposing it closes pooled connections and deletes it with its WAL.</summary>
public sealed class TempSqliteFile(string prefix) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in (string[])["", "-wal", "-shm"]) File.Delete(Path + suffix);
    }
}
