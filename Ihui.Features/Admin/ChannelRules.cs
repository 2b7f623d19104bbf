using FluentValidation;

namespace Ihui.Features.Admin;

/// <summary>The field rules the channel routes share (create and update).</summary>
public static class ChannelRules
{
    public const int MaxModels = 500;

    public static IRuleBuilderOptions<T, string?> ChannelName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(64).Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$").WithMessage("letters, digits, '.', '_' and '-' (at most 64), starting with a letter or digit")
            .Must(n => n is null || !string.Equals(n, Common.Vendors.Channels.ChannelNames.Default, StringComparison.OrdinalIgnoreCase))
            .WithMessage("'default' is the name of the channel the environment configures");

    public static IRuleBuilderOptions<T, string?> ChannelUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(512).Must(u => u is null || (Uri.TryCreate(u.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                                                        && uri.Host.Length > 0 && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query)))
            .WithMessage("must be an absolute http(s) URL without user info or query string");

    public static IRuleBuilderOptions<T, string?> ChannelKey<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(4096).Must(k => k is null || (k.Length > 0 && k.All(c => c > ' ' && c < 0x7f)))
            .WithMessage("must be printable ASCII without spaces (at most 4096 characters)");

    public static IRuleBuilderOptions<T, Dictionary<string, string?>?> ChannelModels<T>(this IRuleBuilder<T, Dictionary<string, string?>?> rule) =>
        rule.Must(m => m is null || (m.Count is > 0 and <= MaxModels && m.All(p => Valid(p.Key) && (p.Value is null || Valid(p.Value)))))
            .WithMessage($"must map 1 to {MaxModels} model names (1–128 printable characters) to the account's name for each, or null");

    public static IRuleBuilderOptions<T, int?> ChannelPriority<T>(this IRuleBuilder<T, int?> rule) => rule.InclusiveBetween(-1000, 1000);
    public static IRuleBuilderOptions<T, int?> ChannelWeight<T>(this IRuleBuilder<T, int?> rule) => rule.InclusiveBetween(1, 1000);
    public static IRuleBuilderOptions<T, int?> ChannelTimeout<T>(this IRuleBuilder<T, int?> rule) => rule.InclusiveBetween(1, 3600);

    private static bool Valid(string s) => s.Length is > 0 and <= 128 && s.All(c => c >= ' ' && c != 0x7f) && s.Trim().Length == s.Length;
}
