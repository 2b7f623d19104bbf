using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Security;

/// <summary>
/// Takes credentials out of text that came from outside, chiefly what vendors say back: some echo the request's
/// key, token or signature in their error bodies. Removes every configured secret (any setting whose name ends in
/// <c>_KEY</c>, <c>_SECRET</c>, <c>_TOKEN</c> or <c>PASSWORD</c>, registered at start-up) and anything shaped like a
/// credential: <c>Bearer …</c>/<c>Basic …</c>, a JWT, <c>Credential=</c>/<c>Signature=</c>/<c>authorization=</c> values,
/// <c>api_key: …</c>-style pairs and the vendors' key formats (<c>sk-…</c>, <c>AIza…</c>, <c>AKLT…</c>).
/// </summary>
/// <remarks>
/// Applied where outside text leaves the process: every <see cref="Errors.ApiException"/> message (so every error
/// response, error frame and call-log row built from one), task errors, and every log event's properties.
/// A new vendor client gets it by raising its errors as <see cref="Errors.ApiException"/>s (<c>VendorHttp</c> does);
/// text that reaches a client any other way must pass <see cref="Scrub"/> itself.
/// </remarks>
public static partial class SecretScrubber
{
    public const string Mask = "***";

    /// <summary>Secrets shorter than this are not matched as text (they would mask ordinary words).</summary>
    public const int MinimumSecretLength = 8;

    private static readonly Lock Gate = new();
    private static string[] _secrets = [];

    [GeneratedRegex(
        @"(?<scheme>\b(?:Bearer|Basic|HMAC-SHA256|Token)\s+)(?!\*\*\*)(?=[A-Za-z._~+/=\-]*[0-9+/=_\-])[A-Za-z0-9._~+/=\-]{8,}" +
        @"|eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*" +
        @"|(?<name>\b(?:Credential|Signature|authorization|access_?token|refresh_?token|api_?key|apikey|api_?secret|secret_?key|access_?key(?:_?id)?|secret|password|token|x-goog-api-key|key)\\?[""']?\s*[:=]\s*\\?[""']?)(?!\*\*\*)(?=[^\s""'\\,;&}\]]*[0-9+/=_\-])[^\s""'\\,;&}\]]{8,}" +
        @"|\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{8,}" +
        @"|\bAIza[0-9A-Za-z_\-]{10,}" +
        @"|\bAKLT[0-9A-Za-z_\-]{10,}",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Shapes();

    /// <summary>Registers every configured secret (see the class remarks). Safe to call more than once; secrets only accumulate.</summary>
    public static void RegisterConfigured(IConfiguration configuration)
    {
        var found = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrWhiteSpace(value) || !IsSecretName(key)) continue;
            found.Add(value.Trim());
            // Zhipu's key is "id.secret": either half alone is still a credential.
            foreach (var part in value.Split('.', ':')) found.Add(part.Trim());
        }
        if (configuration["DATABASE_URL"] is { } url && Uri.TryCreate(url.Replace("+pymysql", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            && uri.UserInfo.Split(':', 2) is [_, var password])
            found.Add(Uri.UnescapeDataString(password));
        Register(found);
    }

    public static void Register(IEnumerable<string?> secrets)
    {
        lock (Gate)
        {
            var all = new HashSet<string>(_secrets, StringComparer.Ordinal);
            foreach (var s in secrets)
            {
                if (s is not { Length: >= MinimumSecretLength }) continue;
                all.Add(s);
                // The forms a secret takes on its way back: URL-encoded, JSON-escaped, base64.
                all.Add(Uri.EscapeDataString(s));
                all.Add(System.Text.Json.JsonEncodedText.Encode(s).Value);
                all.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(s)));
            }
            // Longest first, so a secret that contains another is masked whole.
            _secrets = all.Where(s => s.Length >= MinimumSecretLength).OrderByDescending(s => s.Length).ToArray();
        }
    }

    public static bool IsSecretName(string key)
    {
        var name = key.Contains(':', StringComparison.Ordinal) ? key[(key.LastIndexOf(':') + 1)..] : key;
        return name.EndsWith("_KEY", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_SECRET", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("_TOKEN", StringComparison.OrdinalIgnoreCase) || name.EndsWith("PASSWORD", StringComparison.OrdinalIgnoreCase)
            || name.Equals("ApiKey", StringComparison.OrdinalIgnoreCase) || name.Equals("Secret", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The text with every secret and credential-shaped value replaced by <see cref="Mask"/>.</summary>
    public static string Scrub(string text)
    {
        if (text.Length < 6) return text;
        var secrets = _secrets;
        StringBuilder? sb = null;
        foreach (var secret in secrets)
        {
            if ((sb is null ? text.IndexOf(secret, StringComparison.Ordinal) : sb.ToString().IndexOf(secret, StringComparison.Ordinal)) < 0) continue;
            sb ??= new StringBuilder(text);
            sb.Replace(secret, Mask);
        }
        var masked = sb?.ToString() ?? text;
        return Shapes().Replace(masked, m =>
            m.Groups["scheme"].Success ? m.Groups["scheme"].Value + Mask
            : m.Groups["name"].Success ? m.Groups["name"].Value + Mask
            : Mask);
    }

    public static string? ScrubOrNull(string? text) => text is null ? null : Scrub(text);
}
