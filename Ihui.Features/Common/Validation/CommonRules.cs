using FluentValidation;

namespace Ihui.Features.Common.Validation;

/// <summary>Rules several slices share.</summary>
public static class CommonRules
{
    /// <summary>An absolute http(s) URL with a host, or a base64 <c>data:image/…</c> URI.</summary>
    public static IRuleBuilderOptions<T, string> MustBeImageUrl<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(IsImageReference).WithMessage("must be an http(s) URL or a data:image URI");

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
