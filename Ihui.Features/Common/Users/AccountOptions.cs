using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Users;

/// <summary>
/// What a self-registered user starts with (<c>NEW_USER_TOKENS</c>, <c>NEW_USER_PIC_TIMES</c>), and the iFlytek
/// <c>app_info</c> that seed 002's admin login returns (the app id only; keys are masked, never sent).
/// </summary>
public sealed record AccountOptions
{
    public long NewUserTokens { get; init; }
    public int NewUserPicTimes { get; init; }
    public string AppId { get; init; } = "";
    public string ApiKeyHint { get; init; } = "";
    public string ApiSecretHint { get; init; } = "";

    public static AccountOptions From(IConfiguration c) => new()
    {
        NewUserTokens = Setting.Long(c, "NEW_USER_TOKENS", 0, 0, long.MaxValue / 4),
        NewUserPicTimes = Setting.Int(c, "NEW_USER_PIC_TIMES", 0, 0, 1_000_000_000),
        AppId = c["XFYUN_APP_ID"] ?? "",
        ApiKeyHint = Mask(c["XFYUN_API_KEY"]),
        ApiSecretHint = Mask(c["XFYUN_API_SECRET"]),
    };

    /// <summary>Shows that a secret is set (and which, by its last 4 characters) without revealing it.</summary>
    public static string Mask(string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : secret.Length <= 8 ? "****" : "****" + secret[^4..];
}
