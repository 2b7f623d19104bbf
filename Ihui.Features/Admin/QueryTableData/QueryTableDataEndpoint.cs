using Carter;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.QueryTableData;

public sealed class QueryTableDataEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet("/admin/query_table_data", async ([FromQuery(Name = "table")] string? table, [FromQuery(Name = "target_name")] string? targetName,
                    [FromHeader(Name = "Authorization")] string? authorization, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new QueryTableDataRequest(table, targetName, AdminBearer.From(authorization)), ct)))
            .WithTags("Admin")
            .WithSummary("查询指定表中的指定数据 (seed 002)");
}
