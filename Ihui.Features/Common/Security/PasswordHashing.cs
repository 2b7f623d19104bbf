using Microsoft.AspNetCore.Identity;

namespace Ihui.Features.Common.Security;

/// <summary>
/// Password hashes for users and admins: ASP.NET Core Identity's PBKDF2 format (V3, HMAC-SHA512, salted,
/// versioned so the iteration count can rise without breaking old hashes).
/// </summary>
public static class PasswordHashing
{
    private sealed class Account;

    private static readonly PasswordHasher<Account> Hasher = new();
    private static readonly Account Nobody = new();

    // A real hash to verify against when the account does not exist, so a missing user costs the same time.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(Nobody, Guid.NewGuid().ToString()));

    public static string Hash(string password) => Hasher.HashPassword(Nobody, password);

    public static bool Verify(string? hash, string password)
    {
        if (string.IsNullOrEmpty(hash))
        {
            Hasher.VerifyHashedPassword(Nobody, DecoyHash.Value, password);
            return false;
        }
        try
        {
            return Hasher.VerifyHashedPassword(Nobody, hash, password) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
