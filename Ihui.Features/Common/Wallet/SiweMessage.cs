using System.Globalization;
using System.Security.Cryptography;

namespace Ihui.Features.Common.Wallet;

/// <summary>An EIP-4361 (Sign-In with Ethereum) message: the fields Ihui issues and checks.</summary>
public sealed record SiweMessage(string Domain, string Address, string? Statement, string Uri, string Version, long ChainId,
    string Nonce, DateTime IssuedAt, DateTime? ExpirationTime)
{
    private const string Preamble = " wants you to sign in with your Ethereum account:";

    /// <summary>A nonce of 32 alphanumerics (EIP-4361 asks for at least 8).</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Time(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public override string ToString()
    {
        var lines = new List<string> { Domain + Preamble, Address, "" };
        if (!string.IsNullOrEmpty(Statement)) lines.AddRange([Statement, ""]);
        lines.AddRange([$"URI: {Uri}", $"Version: {Version}", $"Chain ID: {ChainId}", $"Nonce: {Nonce}", $"Issued At: {Time(IssuedAt)}"]);
        if (ExpirationTime is { } exp) lines.Add($"Expiration Time: {Time(exp)}");
        return string.Join('\n', lines);
    }

    /// <summary>The message's fields, or null when it is not an EIP-4361 message.</summary>
    public static SiweMessage? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 8192) return null;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length < 8 || !lines[0].EndsWith(Preamble, StringComparison.Ordinal) || !WalletAddress.IsValid(lines[1]) || lines[2] != "")
            return null;
        var at = 3;
        string? statement = null;
        if (!lines[at].StartsWith("URI: ", StringComparison.Ordinal))
        {
            statement = lines[at];
            at++;
            if (at >= lines.Length || lines[at] != "") return null;
            at++;
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (; at < lines.Length; at++)
        {
            var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0 || !fields.TryAdd(lines[at][..colon], lines[at][(colon + 2)..])) return null;
        }
        if (!fields.TryGetValue("URI", out var uri) || !fields.TryGetValue("Version", out var version)
            || !fields.TryGetValue("Chain ID", out var chain) || !long.TryParse(chain, NumberStyles.None, CultureInfo.InvariantCulture, out var chainId)
            || !fields.TryGetValue("Nonce", out var nonce) || nonce.Length < 8 || !nonce.All(char.IsAsciiLetterOrDigit)
            || !fields.TryGetValue("Issued At", out var issued) || ParseTime(issued) is not { } issuedAt)
            return null;
        DateTime? expires = null;
        if (fields.TryGetValue("Expiration Time", out var exp) && (expires = ParseTime(exp)) is null) return null;
        return new SiweMessage(lines[0][..^Preamble.Length], lines[1], statement, uri, version, chainId, nonce, issuedAt, expires);
    }

    private static DateTime? ParseTime(string s) =>
        DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
