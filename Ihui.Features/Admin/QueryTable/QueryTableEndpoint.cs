using Carter;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.QueryTable;

public sealed class QueryTableEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet("/admin/query_table", async ([FromQuery(Name = "table")] string? table, [FromQuery(Name = "query_range")] int? queryRange,
                    [FromQuery(Name = "start")] int? start, [FromHeader(Name = "Authorization")] string? authorization, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new QueryTableRequest(table, queryRange, start, AdminBearer.From(authorization)), ct)))
            .WithTags("Admin")
            .WithSummary("根据指定范围查询表 (seed 002)");
}
