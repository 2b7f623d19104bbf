using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Users;
using Microsoft.AspNetCore.DataProtection;

namespace Ihui.Features.Common.Wallet;

public sealed record IssuedNonce(string Nonce, string Message, DateTime ExpiresAt);

public sealed record NonceRow
{
    public string Nonce { get; init; } = "";
    public string WalletAddress { get; init; } = "";
    public string Message { get; init; } = "";
    public DateTime IssuedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? UsedAt { get; init; }
}

public sealed record WalletSession(string UserId, string WalletAddress, string AccessToken, DateTime ExpiresAt);

/// <summary>
/// Wallet accounts (an Ihui user per wallet), sign-in nonces and access tokens. A token (<c>paw_</c> + 256 random bits)
/// is found by its SHA-256 and kept encrypted with ASP.NET Data Protection, so a repeated sign-in can hand back the
/// token that is still valid, as the seed asks, without the database holding it in the clear.
/// </summary>
public sealed class WalletStore(Db db, Ledger ledger, UserStore users, WalletOptions options, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Ihui.Wallet.AccessTokens.v1");

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<IssuedNonce> IssueNonceAsync(string walletAddress, CancellationToken ct)
    {
        var now = Truncate(clock.GetUtcNow().UtcDateTime);
        var expires = now + options.NonceLifetime;
        var message = new SiweMessage(options.Domain, WalletAddress.Checksummed(walletAddress), options.Statement, options.Uri, "1",
            options.ChainId, SiweMessage.NewNonce(), now, expires);
        await db.ExecuteWriteAsync(
            "INSERT INTO wallet_nonces (nonce, wallet_address, message, issued_at, expires_at, used_at) VALUES (@Nonce, @Address, @Message, @Now, @Expires, NULL)",
            new { message.Nonce, Address = WalletAddress.Normalize(walletAddress), Message = message.ToString(), Now = now, Expires = expires }, ct);
        return new IssuedNonce(message.Nonce, message.ToString(), expires);
    }

    public async Task<NonceRow?> FindNonceAsync(string nonce, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return Utc(await c.QuerySingleOrDefaultAsync<NonceRow>(new CommandDefinition(
            "SELECT nonce AS Nonce, wallet_address AS WalletAddress, message AS Message, issued_at AS IssuedAt, expires_at AS ExpiresAt, used_at AS UsedAt " +
            "FROM wallet_nonces WHERE nonce = @nonce", new { nonce }, cancellationToken: ct)));
    }

    /// <summary>The address's newest nonce that is neither used nor expired (for clients that send no message).</summary>
    public async Task<NonceRow?> LatestOpenNonceAsync(string walletAddress, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return Utc(await c.QueryFirstOrDefaultAsync<NonceRow>(new CommandDefinition(
            "SELECT nonce AS Nonce, wallet_address AS WalletAddress, message AS Message, issued_at AS IssuedAt, expires_at AS ExpiresAt, used_at AS UsedAt " +
            "FROM wallet_nonces WHERE wallet_address = @Address AND used_at IS NULL AND expires_at > @Now ORDER BY issued_at DESC, nonce LIMIT 1",
            new { Address = WalletAddress.Normalize(walletAddress), Now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct)));
    }

    /// <summary>
    /// Uses the nonce up and signs the wallet in, in one transaction: null when the nonce was already used or has expired
    /// (then nothing changes). A new wallet becomes a user with its signup grant on the ledger; a valid token is reused.
    /// </summary>
    public async Task<WalletSession?> SignInAsync(string nonce, string walletAddress, CancellationToken ct)
    {
        var address = WalletAddress.Normalize(walletAddress);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await db.WriteAsync((c, tx) => SignInAsync(c, tx, nonce, address, ct), session => session is not null, ct);
            }
            catch (Exception e) when (attempt < 3 && DbErrors.IsUniqueViolation(e))
            {
                // Two first sign-ins of one wallet at once (two nonces): the other one created the account; go again.
            }
        }
    }

    private async Task<WalletSession?> SignInAsync(DbConnection c, DbTransaction? tx, string nonce, string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var used = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE wallet_nonces SET used_at = @Now WHERE nonce = @Nonce AND wallet_address = @Address AND used_at IS NULL AND expires_at > @Now",
            new { Now = now, Nonce = nonce, Address = address }, tx, cancellationToken: ct));
        if (used != 1) return null;

        var userId = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT user_id FROM wallet_accounts WHERE wallet_address = @address", new { address }, tx, cancellationToken: ct));
        if (userId is null)
        {
            var taken = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM users WHERE username = @address", new { address }, tx, cancellationToken: ct));
            var username = taken == 0 ? address : address + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
            userId = await users.InsertAsync(c, tx, username, ct);
            if (options.SignupGrant > 0) await ledger.CreditAsync(c, tx, userId, options.SignupGrant, Ledger.Kinds.Grant, null);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO wallet_accounts (user_id, wallet_address, is_editor, last_login_at, created_at) VALUES (@userId, @address, 0, NULL, @now)",
                new { userId, address, now }, tx, cancellationToken: ct));
        }
        await c.ExecuteAsync(new CommandDefinition("UPDATE wallet_accounts SET last_login_at = @now WHERE user_id = @userId",
            new { now, userId }, tx, cancellationToken: ct));

        var existing = await c.QueryFirstOrDefaultAsync<TokenRow>(new CommandDefinition(
            "SELECT token_protected AS Protected, expires_at AS ExpiresAt FROM wallet_tokens WHERE user_id = @userId AND revoked_at IS NULL AND expires_at > @now " +
            "ORDER BY expires_at DESC LIMIT 1", new { userId, now }, tx, cancellationToken: ct));
        if (existing is not null && TryUnprotect(existing.Protected) is { } token)
            return new WalletSession(userId, address, token, DateTime.SpecifyKind(existing.ExpiresAt, DateTimeKind.Utc));

        var fresh = "paw_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var expires = Truncate(now + options.TokenLifetime);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO wallet_tokens (id, user_id, token_hash, token_protected, expires_at, revoked_at, created_at) " +
            "VALUES (@Id, @userId, @Hash, @Protected, @expires, NULL, @now)",
            new { Id = Guid.CreateVersion7().ToString(), userId, Hash = Hash(fresh), Protected = _protector.Protect(fresh), expires, now },
            tx, cancellationToken: ct));
        return new WalletSession(userId, address, fresh, expires);
    }

    private string? TryUnprotect(string value)
    {
        try
        {
            return _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            // The key that sealed it is gone (a new key ring): the token cannot be handed back, so a new one is issued.
            return null;
        }
    }

    /// <summary>The user an unexpired, unrevoked token belongs to, when that user is enabled.</summary>
    public async ValueTask<string?> FindUserByTokenAsync(string token, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT t.user_id FROM wallet_tokens t JOIN users u ON u.id = t.user_id " +
            "WHERE t.token_hash = @Hash AND t.revoked_at IS NULL AND t.expires_at > @Now AND u.status = 1",
            new { Hash = Hash(token), Now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>Makes the token invalid at once; false when it was not a valid token.</summary>
    public async Task<bool> RevokeAsync(string token, CancellationToken ct) =>
        await db.ExecuteWriteAsync("UPDATE wallet_tokens SET revoked_at = @Now WHERE token_hash = @Hash AND revoked_at IS NULL",
            new { Hash = Hash(token), Now = clock.GetUtcNow().UtcDateTime }, ct) == 1;

    /// <summary>The wallet address of a user (null when the user has no wallet), and whether it may edit the platform's catalogs.</summary>
    public async Task<(string? Address, bool IsEditor)> AccountAsync(string userId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            "SELECT wallet_address AS Address, is_editor AS IsEditor FROM wallet_accounts WHERE user_id = @userId", new { userId }, cancellationToken: ct));
        return row is null ? (null, false) : (row.Address, row.IsEditor == 1 || options.EditorWallets.Contains(row.Address));
    }

    /// <summary>Grants or withdraws the editor role of a wallet that has signed in; false when no such wallet.</summary>
    public async Task<bool> SetEditorAsync(string walletAddress, bool editor, CancellationToken ct) =>
        await db.ExecuteWriteAsync("UPDATE wallet_accounts SET is_editor = @Flag WHERE wallet_address = @Address",
            new { Flag = editor ? 1 : 0, Address = WalletAddress.Normalize(walletAddress) }, ct) == 1;

    /// <summary>Times are kept to the millisecond, as the sign-in message writes them.</summary>
    private static DateTime Truncate(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    private static NonceRow? Utc(NonceRow? r) => r is null ? null : r with
    {
        IssuedAt = DateTime.SpecifyKind(r.IssuedAt, DateTimeKind.Utc), ExpiresAt = DateTime.SpecifyKind(r.ExpiresAt, DateTimeKind.Utc),
    };

    private sealed class TokenRow
    {
        public string Protected { get; init; } = "";
        public DateTime ExpiresAt { get; init; }
    }

    private sealed class AccountRow
    {
        public string Address { get; init; } = "";
        public long IsEditor { get; init; }
    }
}
