using System.Data.Common;

namespace Ihui.Features.Common.Data;

/// <summary>
/// A command for SQL that runs on every billed call. On SQLite's writer connection it is prepared once and run through
/// SQLite's own API (<see cref="SqliteHotSql"/>, <see cref="Db.Hot"/>, <see cref="SqliteGroupCommitWriter"/>); elsewhere it is a fresh command, disposed after
/// its one execution. Parameters are set by their full name (<c>@Name</c>) on every use; one the SQL names but the
/// caller did not set is refused.
/// </summary>
public readonly struct HotCommand
{
    private readonly DbCommand? _command;
    private readonly SqliteHotSql? _prepared;
    private readonly bool _owned;

    internal HotCommand(DbCommand command, bool owned)
    {
        _command = command;
        _owned = owned;
    }

    internal HotCommand(SqliteHotSql prepared) => _prepared = prepared;

    public HotCommand Set(string name, object? value)
    {
        if (_prepared is not null)
        {
            _prepared.Set(name, value);
            return this;
        }
        var parameters = _command!.Parameters;
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
    public Task<int> ExecuteAsync(CancellationToken ct = default)
    {
        if (_prepared is null) return ExecuteCommandAsync(ct);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(_prepared.Execute());
    }

    private async Task<int> ExecuteCommandAsync(CancellationToken ct)
    {
        try
        {
            return await _command!.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            if (_owned) await _command!.DisposeAsync();
        }
    }

    /// <summary>Maps the first row, or returns <paramref name="none"/> when there is none.</summary>
    public Task<T> FirstAsync<T>(Func<DbRow, T> map, T none, CancellationToken ct = default)
    {
        if (_prepared is null) return FirstFromCommandAsync(map, none, ct);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(_prepared.First(map, none));
    }

    private async Task<T> FirstFromCommandAsync<T>(Func<DbRow, T> map, T none, CancellationToken ct)
    {
        try
        {
            await using var reader = await _command!.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? map(new DbRow(reader)) : none;
        }
        finally
        {
            if (_owned) await _command!.DisposeAsync();
        }
    }
}
