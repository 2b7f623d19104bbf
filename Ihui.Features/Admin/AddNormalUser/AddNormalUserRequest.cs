using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.AddNormalUser;

/// <summary>Seed 002 <c>POST /admin/add_normal_user</c>; <c>tokens</c> becomes an opening ledger grant.</summary>
public sealed record AddNormalUserRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? Username { get; init; }
    public string? Password { get; init; }
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public long? Tokens { get; init; }
    public string? Email { get; init; }
    [JsonPropertyName("pictimes"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int? PicTimes { get; init; }
    public string? Academy { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}
