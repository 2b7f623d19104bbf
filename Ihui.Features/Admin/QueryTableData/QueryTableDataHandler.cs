using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Mediator;

namespace Ihui.Features.Admin.QueryTableData;

public sealed class QueryTableDataHandler(Db db) : IRequestHandler<QueryTableDataRequest, QueryTableDataResult>
{
    public async ValueTask<QueryTableDataResult> Handle(QueryTableDataRequest request, CancellationToken cancellationToken)
    {
        var table = AdminTables.Get(request.Table);
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await AdminTables.QueryAsync(c, table,
            $"SELECT {table.Columns} FROM {table.Name} WHERE {table.KeyColumn} = @Target LIMIT 1", new { Target = request.TargetName });
        var row = rows.FirstOrDefault() ?? throw ApiException.NotFound($"no row of {table.Name} matches target_name");
        return new QueryTableDataResult(0, $"查询 {request.TargetName} 成功", row);
    }
}
