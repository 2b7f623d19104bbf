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
        NewUserTokens = long.TryParse(c["NEW_USER_TOKENS"], out var t) && t >= 0 ? t : 0,
        NewUserPicTimes = int.TryParse(c["NEW_USER_PIC_TIMES"], out var p) && p >= 0 ? p : 0,
        AppId = c["XFYUN_APP_ID"] ?? "",
        ApiKeyHint = Mask(c["XFYUN_API_KEY"]),
        ApiSecretHint = Mask(c["XFYUN_API_SECRET"]),
    };

    /// <summary>Shows that a secret is set (and which, by its last 4 characters) without revealing it.</summary>
    public static string Mask(string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : secret.Length <= 8 ? "****" : "****" + secret[^4..];
}
