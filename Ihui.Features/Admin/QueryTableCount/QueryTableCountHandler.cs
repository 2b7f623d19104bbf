using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Mediator;

namespace Ihui.Features.Admin.QueryTableCount;

public sealed class QueryTableCountHandler(Db db) : IRequestHandler<QueryTableCountRequest, QueryTableCountResult>
{
    public async ValueTask<QueryTableCountResult> Handle(QueryTableCountRequest request, CancellationToken cancellationToken)
    {
        var table = AdminTables.Get(request.Table);
        await using var c = await db.OpenAsync(cancellationToken);
        var count = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table.Name}", cancellationToken: cancellationToken));
        return new QueryTableCountResult(0, $"查询 {count} 条信息成功", count);
    }
}
