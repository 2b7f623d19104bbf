using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Mediator;

namespace Ihui.Features.Admin.QueryTable;

/// <summary>
/// Seed 002 <c>GET /admin/query_table?table=…&amp;query_range=20&amp;start=0</c>: a page of an allow-listed table,
/// newest first; <c>query_range</c> is the page size (1–100), <c>start</c> the number of rows to skip.
/// </summary>
public sealed record QueryTableRequest(string? Table, int? QueryRange, int? Start, string? AccessToken) : IRequest<QueryTableResult>, IAdminRequest;

public sealed record QueryTableResult(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("data")] IReadOnlyList<Dictionary<string, object?>> Data);
