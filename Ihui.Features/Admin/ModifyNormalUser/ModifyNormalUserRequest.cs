using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.ModifyNormalUser;

/// <summary>
/// Seed 002 <c>POST /admin/modify_normal_user</c>: only the fields given change. A new token balance is applied as
/// one <c>admin_adjust</c> ledger row of (new − old), never as an overwrite.
/// </summary>
public sealed record ModifyNormalUserRequest : IRequest<SeedReply>, IAdminRequest
{
    public string? TargetUser { get; init; }
    public NewUserInfo? NewUserInfo { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}

public sealed record NewUserInfo
{
    public string? NewUsername { get; init; }
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public long? NewTokens { get; init; }
    public string? NewPassword { get; init; }
    public string? NewEmail { get; init; }
    [JsonPropertyName("new_pictimes"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int? NewPicTimes { get; init; }
    public string? NewAcademy { get; init; }

    public bool IsEmpty => NewUsername is null && NewTokens is null && NewPassword is null && NewEmail is null && NewPicTimes is null && NewAcademy is null;
}
