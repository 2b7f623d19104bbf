using Ihui.Features.Common.Configuration;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Wallet;

/// <summary>
/// Wallet sign-in (seed 003): what the EIP-4361 message names (<c>WALLET_LOGIN_DOMAIN</c>, <c>WALLET_LOGIN_URI</c>,
/// <c>WALLET_CHAIN_ID</c>, <c>WALLET_LOGIN_STATEMENT</c>), how long a nonce and a token live, what a new wallet is
/// granted (<c>WALLET_SIGNUP_GRANT</c>) and which wallets are platform editors (<c>STORY_EDITOR_WALLETS</c>).
/// </summary>
public sealed record WalletOptions
{
    public string Domain { get; init; } = "localhost:8000";
    public string Uri { get; init; } = "http://localhost:8000";
    public long ChainId { get; init; } = 1;
    public string Statement { get; init; } = "Sign in to Ihui.";
    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromDays(3);
    public long SignupGrant { get; init; }
    public IReadOnlySet<string> EditorWallets { get; init; } = new HashSet<string>();

    public static WalletOptions From(IConfiguration c)
    {
        var defaults = new WalletOptions();
        var editors = (Setting.Text(c, "STORY_EDITOR_WALLETS") ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var e in editors)
            if (!WalletAddress.IsValid(e)) throw Setting.Invalid("STORY_EDITOR_WALLETS", e, "expected 0x-prefixed addresses of 40 hex digits, separated by commas");
        var uri = Setting.Text(c, "WALLET_LOGIN_URI", defaults.Uri);
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out _) || uri.Contains('\n'))
            throw Setting.Invalid("WALLET_LOGIN_URI", uri, "expected an absolute URI (RFC 3986)");
        var domain = Setting.Text(c, "WALLET_LOGIN_DOMAIN", defaults.Domain);
        if (domain.Any(ch => char.IsWhiteSpace(ch) || ch == '/'))
            throw Setting.Invalid("WALLET_LOGIN_DOMAIN", domain, "expected a host (and port), e.g. app.example.com");
        var statement = Setting.Text(c, "WALLET_LOGIN_STATEMENT", defaults.Statement);
        if (statement.Contains('\n')) throw Setting.Invalid("WALLET_LOGIN_STATEMENT", statement, "expected one line");
        return new WalletOptions
        {
            Domain = domain,
            Uri = uri,
            ChainId = Setting.Long(c, "WALLET_CHAIN_ID", 1, 1, long.MaxValue),
            Statement = statement,
            NonceLifetime = TimeSpan.FromSeconds(Setting.Long(c, "WALLET_NONCE_TTL_SECONDS", 600, 30, 86_400)),
            TokenLifetime = TimeSpan.FromSeconds(Setting.Long(c, "WALLET_TOKEN_TTL_SECONDS", 3 * 86_400, 60, 365 * 86_400)),
            SignupGrant = Setting.Long(c, "WALLET_SIGNUP_GRANT", 0, 0, 1_000_000_000_000),
            EditorWallets = editors.Select(WalletAddress.Normalize).ToHashSet(StringComparer.Ordinal),
        };
    }
}
