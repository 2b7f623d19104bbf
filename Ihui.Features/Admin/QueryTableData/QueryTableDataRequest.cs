using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Mediator;

namespace Ihui.Features.Admin.QueryTableData;

/// <summary>
/// Seed 002 <c>GET /admin/query_table_data?table=…&amp;target_name=…</c>: one row, matched on the table's name column
/// (users.username, admins.name, redeem codes' name, prices' model; the id elsewhere).
/// </summary>
public sealed record QueryTableDataRequest(string? Table, string? TargetName, string? AccessToken) : IRequest<QueryTableDataResult>, IAdminRequest;

public sealed record QueryTableDataResult(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("data")] Dictionary<string, object?> Data);
