using System.Buffers;
using System.Security.Cryptography;

namespace Ihui.Features.Common.Storage;

/// <summary>
/// Object names: flat (no slash, no leading dot, no "..") so that a name can never leave its directory or bucket prefix,
/// whatever a client puts in a URL.
/// </summary>
public static class ObjectNames
{
    public const int MaxLength = 200;
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && char.IsAsciiLetterOrDigit(name[0])
        && !name.AsSpan().ContainsAnyExcept(Allowed) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>A new random name (128 bits, hex) with the extension given (without its dot), e.g. "…e1.png".</summary>
    public static string Random(string extension) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "." + extension;

    public static void EnsureValid(string name)
    {
        if (!IsValid(name)) throw new ArgumentException($"'{name}' is not a flat object name", nameof(name));
    }
}
