using System.Data.Common;
using SQLitePCL;

namespace Ihui.Features.Common.Data;

/// <summary>The current row of a result: a reader's, or a statement's prepared on SQLite's writer (<see cref="SqliteHotSql"/>).</summary>
public readonly struct DbRow
{
    private readonly DbDataReader? _reader;
    private readonly sqlite3_stmt? _statement;

    internal DbRow(DbDataReader reader) => _reader = reader;

    internal DbRow(sqlite3_stmt statement) => _statement = statement;

    public bool IsDBNull(int i) => _reader?.IsDBNull(i) ?? raw.sqlite3_column_type(_statement, i) == raw.SQLITE_NULL;

    public long GetInt64(int i) => _reader?.GetInt64(i) ?? raw.sqlite3_column_int64(_statement, i);

    public string GetString(int i) => _reader is not null ? _reader.GetString(i) : raw.sqlite3_column_text(_statement, i).utf8_to_string();

    /// <summary>The value as the store gives it (SQLite: long, double, string, byte[] or DBNull).</summary>
    public object GetValue(int i) => _reader is not null
        ? _reader.GetValue(i)
        : raw.sqlite3_column_type(_statement, i) switch
        {
            raw.SQLITE_INTEGER => raw.sqlite3_column_int64(_statement, i),
            raw.SQLITE_FLOAT => raw.sqlite3_column_double(_statement, i),
            raw.SQLITE_TEXT => raw.sqlite3_column_text(_statement, i).utf8_to_string(),
            raw.SQLITE_BLOB => raw.sqlite3_column_blob(_statement, i).ToArray(),
            _ => DBNull.Value,
        };
}
