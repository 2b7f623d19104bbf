using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.SetModel;

/// <summary>
/// <c>POST /admin/models {"llm_id", "type", "vendor", "model_name", "parameters", "enabled"}</c>: adds a model to the
/// registry or replaces the one with that <c>llm_id</c> (seed 003's model registry; also the catalog of <c>/v1</c>).
/// </summary>
public sealed record SetModelRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? LlmId { get; init; }
    public string? Type { get; init; }
    public string? Vendor { get; init; }
    public string? ModelName { get; init; }
    public JsonElement? Parameters { get; init; }
    public bool? Enabled { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
