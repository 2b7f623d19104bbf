using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Configuration;

/// <summary>
/// A setting whose value cannot be used. The host stops before it serves and prints <see cref="Exception.Message"/>
/// as one line: the variable, its value (numbers and switches only; text may be a secret) and what it accepts.
/// </summary>
public sealed class InvalidSettingException(string variable, string message) : Exception(message)
{
    public string Variable { get; } = variable;
}

/// <summary>
/// Reads one setting and refuses a value it cannot use, instead of falling back to the default in silence.
/// Every options object reads its variables with these, in a <c>From(IConfiguration)</c> that the installer runs
/// while the services are registered, so a bad value stops the start (see the README's Configuration section).
/// An unset or empty variable is the default.
/// </summary>
public static class Setting
{
    /// <summary>Text, trimmed; null when unset or blank.</summary>
    public static string? Text(IConfiguration c, string name) => c[name] is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    public static string Text(IConfiguration c, string name, string fallback) => Text(c, name) ?? fallback;

    /// <summary><c>true</c> or <c>false</c> (any case), also <c>1</c> or <c>0</c>.</summary>
    public static bool Bool(IConfiguration c, string name, bool fallback)
    {
        if (Text(c, name) is not { } text) return fallback;
        if (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        throw Invalid(name, text, "expected true or false");
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static long Long(IConfiguration c, string name, long fallback, long min, long max)
    {
        if (Text(c, name) is not { } text) return fallback;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw Invalid(name, text, $"expected a whole number from {Show(min)} to {Show(max)}");
    }

    public static int Int(IConfiguration c, string name, int fallback, int min, int max) => (int)Long(c, name, fallback, min, max);

    /// <summary>A number from <paramref name="min"/> to <paramref name="max"/>; with <paramref name="aboveMin"/>, <paramref name="min"/> itself is refused.</summary>
    public static decimal Decimal(IConfiguration c, string name, decimal fallback, decimal min, decimal max, bool aboveMin = false)
    {
        if (Text(c, name) is not { } text) return fallback;
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)
               && (aboveMin ? v > min : v >= min) && v <= max
            ? v
            : throw Invalid(name, text, aboveMin
                ? $"expected a number above {Show(min)} and at most {Show(max)}"
                : $"expected a number from {Show(min)} to {Show(max)}");
    }

    /// <summary>A number of seconds above 0 (or from 0, with <paramref name="allowZero"/>) and at most <paramref name="maxSeconds"/>.</summary>
    public static TimeSpan Seconds(IConfiguration c, string name, double fallbackSeconds, double maxSeconds, bool allowZero = false)
    {
        if (Text(c, name) is null) return TimeSpan.FromSeconds(fallbackSeconds);
        return TimeSpan.FromSeconds((double)Decimal(c, name, 0, 0, (decimal)maxSeconds, aboveMin: !allowZero));
    }

    /// <summary>A number of milliseconds above 0 (or from 0, with <paramref name="allowZero"/>) and at most <paramref name="maxMilliseconds"/>.</summary>
    public static TimeSpan Milliseconds(IConfiguration c, string name, double fallbackMilliseconds, double maxMilliseconds, bool allowZero = false)
    {
        if (Text(c, name) is null) return TimeSpan.FromMilliseconds(fallbackMilliseconds);
        return TimeSpan.FromMilliseconds((double)Decimal(c, name, 0, 0, (decimal)maxMilliseconds, aboveMin: !allowZero));
    }

    /// <summary>An absolute URL with one of <paramref name="schemes"/> and a host. The value is not echoed (it may carry credentials).</summary>
    public static Uri Url(IConfiguration c, string name, string fallback, params string[] schemes)
    {
        var text = Text(c, name);
        var value = text ?? fallback;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase) && uri.Host.Length > 0)
            return uri;
        throw new InvalidSettingException(name, $"{name} is not usable: expected an absolute {string.Join(" or ", schemes.Select(s => s + "://"))} URL");
    }

    /// <summary>One of <paramref name="allowed"/> (any case); the allowed spelling is returned.</summary>
    public static string OneOf(IConfiguration c, string name, string fallback, params string[] allowed)
    {
        if (Text(c, name) is not { } text) return fallback;
        return allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase))
               ?? throw Invalid(name, text, $"expected one of {string.Join(", ", allowed)}");
    }

    public static InvalidSettingException Invalid(string name, string value, string accepts) =>
        new(name, $"{name}={OneLine(value)}: {accepts}");

    private static string OneLine(string value)
    {
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        return string.Create(shown.Length, shown, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++) span[i] = char.IsControl(s[i]) ? '?' : s[i];
        });
    }

    private static string Show(decimal v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Show(long v) => v.ToString(CultureInfo.InvariantCulture);
}
