using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ihui.Features.Common.Data;

/// <summary>
/// SQL that runs on every billed call, prepared once on SQLite's writer connection and run through SQLite's own API.
/// Through Microsoft.Data.Sqlite a statement costs several times SQLite's own work: every execution looks each
/// parameter up by name in every statement of the command, makes a reader, and goes through tasks. Here each
/// parameter's places are found once, when the SQL is prepared. Values are stored as Microsoft.Data.Sqlite stores them
/// (the rest of Ihui reads these rows through it). A parameter the SQL names but the caller did not set is refused,
/// as Microsoft.Data.Sqlite refuses it: a prepared statement would otherwise keep the previous call's value.
/// </summary>
internal sealed class SqliteHotSql : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt[] _statements;
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<(int Statement, int Index)>[] _places;
    private readonly bool[] _set;

    public SqliteHotSql(sqlite3 db, string sql)
    {
        _db = db;
        var statements = new List<sqlite3_stmt>();
        var places = new List<List<(int, int)>>();
        try
        {
            var rest = sql;
            while (!string.IsNullOrWhiteSpace(rest))
            {
                var rc = raw.sqlite3_prepare_v3(db, rest, raw.SQLITE_PREPARE_PERSISTENT, out var statement, out rest);
                if (rc != raw.SQLITE_OK)
                {
                    statement?.Dispose();
                    SqliteException.ThrowExceptionForRC(rc, db);
                }
                if (statement is null || statement.IsInvalid) continue; // a comment or a lone semicolon
                statements.Add(statement);
                for (var i = 1; i <= raw.sqlite3_bind_parameter_count(statement); i++)
                {
                    var name = raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string();
                    if (!_slots.TryGetValue(name, out var slot))
                    {
                        _slots[name] = slot = places.Count;
                        places.Add([]);
                    }
                    places[slot].Add((statements.Count - 1, i));
                }
            }
        }
        catch
        {
            foreach (var statement in statements) statement.Dispose();
            throw;
        }
        _statements = [.. statements];
        _places = [.. places];
        _set = new bool[_places.Length];
    }

    /// <summary>Starts a use: nothing counts as set until this use sets it (an earlier use may have stopped half-way).</summary>
    public SqliteHotSql Start()
    {
        Array.Clear(_set);
        return this;
    }

    /// <summary>Binds <paramref name="value"/> wherever the SQL names <paramref name="name"/>; a name it does not use is ignored.</summary>
    public void Set(string name, object? value)
    {
        if (!_slots.TryGetValue(name, out var slot)) return;
        foreach (var (statement, index) in _places[slot]) Check(Bind(_statements[statement], index, value));
        _set[slot] = true;
    }

    /// <summary>Runs every statement to its end; returns the rows the writing statements changed.</summary>
    public int Execute()
    {
        EnsureAllSet();
        var changed = 0;
        try
        {
            foreach (var statement in _statements)
            {
                int rc;
                while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                }
                Check(rc, raw.SQLITE_DONE);
                if (raw.sqlite3_stmt_readonly(statement) == 0) changed += raw.sqlite3_changes(_db);
                raw.sqlite3_reset(statement);
            }
        }
        catch
        {
            ResetAll();
            throw;
        }
        finally
        {
            Array.Clear(_set);
        }
        return changed;
    }

    /// <summary>
    /// Runs the statements in order and maps the first row any of them returns (<paramref name="none"/> when none does).
    /// A statement's further rows are not read. A write's RETURNING rows come after all its changes are made (SQLite
    /// makes them on the first step), so stopping early loses no write.
    /// </summary>
    public T First<T>(Func<DbRow, T> map, T none)
    {
        EnsureAllSet();
        var result = none;
        var found = false;
        try
        {
            foreach (var statement in _statements)
            {
                var rc = raw.sqlite3_step(statement);
                if (rc == raw.SQLITE_ROW)
                {
                    if (!found) result = map(new DbRow(statement));
                    found = true;
                }
                else Check(rc, raw.SQLITE_DONE);
                raw.sqlite3_reset(statement);
            }
        }
        catch
        {
            ResetAll();
            throw;
        }
        finally
        {
            Array.Clear(_set);
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var statement in _statements) statement.Dispose();
    }

    private void EnsureAllSet()
    {
        for (var slot = 0; slot < _set.Length; slot++)
            if (!_set[slot])
            {
                var missing = _slots.First(s => s.Value == slot).Key;
                Array.Clear(_set);
                throw new InvalidOperationException($"Must add values for the following parameters: {missing}");
            }
    }

    /// <summary>After a failure: the statement that failed, and any a mapping left mid-way, must not stay active.</summary>
    private void ResetAll()
    {
        foreach (var statement in _statements) raw.sqlite3_reset(statement);
    }

    private void Check(int rc, int expected = raw.SQLITE_OK)
    {
        if (rc != expected) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>The representation Microsoft.Data.Sqlite gives each CLR type (TEXT for dates and decimals).</summary>
    private static int Bind(sqlite3_stmt s, int i, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(s, i),
        string text => raw.sqlite3_bind_text(s, i, text),
        long n => raw.sqlite3_bind_int64(s, i, n),
        int n => raw.sqlite3_bind_int64(s, i, n),
        bool b => raw.sqlite3_bind_int64(s, i, b ? 1 : 0),
        DateTime t => raw.sqlite3_bind_text(s, i, t.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        decimal d => raw.sqlite3_bind_text(s, i, d.ToString("0.0###########################", CultureInfo.InvariantCulture)),
        double d => raw.sqlite3_bind_double(s, i, d),
        _ => throw new ArgumentException($"{value.GetType().Name} is not a type the writer's prepared SQL binds", nameof(value)),
    };
}
