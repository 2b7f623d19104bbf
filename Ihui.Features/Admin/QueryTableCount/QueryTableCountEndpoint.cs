using Carter;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.QueryTableCount;

public sealed class QueryTableCountEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet("/admin/query_table_count", async ([FromQuery(Name = "table")] string? table,
                    [FromHeader(Name = "Authorization")] string? authorization, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new QueryTableCountRequest(table, AdminBearer.From(authorization)), ct)))
            .WithTags("Admin")
            .WithSummary("查询表中数据的总数 (seed 002)");
}
