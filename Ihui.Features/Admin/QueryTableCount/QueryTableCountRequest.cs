using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Mediator;

namespace Ihui.Features.Admin.QueryTableCount;

/// <summary>Seed 002 <c>GET /admin/query_table_count?table=…</c>: the number of rows of an allow-listed table.</summary>
public sealed record QueryTableCountRequest(string? Table, string? AccessToken) : IRequest<QueryTableCountResult>, IAdminRequest;

public sealed record QueryTableCountResult(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("total_count")] long TotalCount);
