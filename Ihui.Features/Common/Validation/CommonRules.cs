using FluentValidation;

namespace Ihui.Features.Common.Validation;

/// <summary>Rules several slices share.</summary>
public static class CommonRules
{
    /// <summary>The largest inline (<c>data:</c>) image accepted, decoded; the vendors' own limits are 4–10 MB.</summary>
    public const int MaxInlineImageBytes = 5 * 1024 * 1024;

    /// <summary>An absolute http(s) URL with a host, or a base64 <c>data:image/…</c> URI of at most <see cref="MaxInlineImageBytes"/>.</summary>
    public static IRuleBuilderOptions<T, string> MustBeImageUrl<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(IsImageReference).WithMessage("must be an http(s) URL or a data:image URI")
            .Must(FitsInlineLimit).WithMessage($"image too large: an inline image may be at most {MaxInlineImageBytes / (1024 * 1024)} MB");

    /// <summary>True for URLs; for a data URI, whether its decoded size is within <see cref="MaxInlineImageBytes"/>.</summary>
    public static bool FitsInlineLimit(string? value)
    {
        if (value is null || !value.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return true;
        var comma = value.IndexOf(',');
        var encoded = comma < 0 ? 0 : value.Length - comma - 1;
        return (long)encoded * 3 / 4 <= MaxInlineImageBytes;
    }

    public static IRuleBuilderOptions<T, string?> MustBeHttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(u => u is null || IsHttpUrl(u)).WithMessage("must be an absolute http(s) URL");

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    public static bool IsImageReference(string? value) =>
        value is not null && (IsHttpUrl(value)
                              || (value.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase) && value.Contains(";base64,", StringComparison.Ordinal)));
}
