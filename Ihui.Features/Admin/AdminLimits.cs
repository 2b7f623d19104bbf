namespace Ihui.Features.Admin;

/// <summary>Upper bounds on what an admin may set, so a typo cannot mint an absurd balance.</summary>
public static class AdminLimits
{
    public const long MaxTokens = 1_000_000_000_000;
    public const int MaxPicTimes = 1_000_000_000;
}
