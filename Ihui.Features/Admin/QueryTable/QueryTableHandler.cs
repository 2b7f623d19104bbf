using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Mediator;

namespace Ihui.Features.Admin.QueryTable;

public sealed class QueryTableHandler(Db db) : IRequestHandler<QueryTableRequest, QueryTableResult>
{
    public async ValueTask<QueryTableResult> Handle(QueryTableRequest request, CancellationToken cancellationToken)
    {
        var table = AdminTables.Get(request.Table);
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await AdminTables.QueryAsync(c, table,
            $"SELECT {table.Columns} FROM {table.Name} ORDER BY {table.OrderBy} LIMIT @Limit OFFSET @Offset",
            new { Limit = request.QueryRange ?? AdminTables.DefaultPageSize, Offset = request.Start ?? 0 });
        return new QueryTableResult(0, $"查询 {rows.Count} 条信息成功", rows);
    }
}
