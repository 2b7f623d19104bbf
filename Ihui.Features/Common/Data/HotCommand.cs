using System.Data.Common;

namespace Ihui.Features.Common.Data;

/// <summary>
/// A command for SQL that runs on every billed call. On SQLite's writer connection it is prepared once and reused
/// (<see cref="Db.Hot"/>); elsewhere it is a fresh command, disposed after its one execution. Parameters are set by
/// their full name (<c>@Name</c>) on every use: a reused command keeps the previous values otherwise.
/// </summary>
public readonly struct HotCommand
{
    private readonly DbCommand _command;
    private readonly bool _owned;

    internal HotCommand(DbCommand command, bool owned)
    {
        _command = command;
        _owned = owned;
    }

    public HotCommand Set(string name, object? value)
    {
        var parameters = _command.Parameters;
        var index = parameters.IndexOf(name);
        DbParameter parameter;
        if (index >= 0)
        {
            parameter = parameters[index];
        }
        else
        {
            parameter = _command.CreateParameter();
            parameter.ParameterName = name;
            parameters.Add(parameter);
        }
        parameter.Value = value ?? DBNull.Value;
        return this;
    }

    /// <summary>Runs the statement(s); returns the rows changed.</summary>
    public async Task<int> ExecuteAsync(CancellationToken ct = default)
    {
        try
        {
            return await _command.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            if (_owned) await _command.DisposeAsync();
        }
    }

    /// <summary>Runs the statements and hands their results (one result set per SELECT) to <paramref name="read"/>.</summary>
    public async Task<T> ReadAsync<T>(Func<DbDataReader, CancellationToken, Task<T>> read, CancellationToken ct = default)
    {
        try
        {
            await using var reader = await _command.ExecuteReaderAsync(ct);
            return await read(reader, ct);
        }
        finally
        {
            if (_owned) await _command.DisposeAsync();
        }
    }

    /// <summary>Maps the first row, or returns <paramref name="none"/> when there is none.</summary>
    public async Task<T> FirstAsync<T>(Func<DbDataReader, T> map, T none, CancellationToken ct = default)
    {
        try
        {
            await using var reader = await _command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? map(reader) : none;
        }
        finally
        {
            if (_owned) await _command.DisposeAsync();
        }
    }
}
