using Ihui.Features.Common.Errors;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ihui.Features.Common.Admin;

public static class TokenUse
{
    public const string Access = "access";
    public const string Refresh = "refresh";
}

/// <summary>What a valid admin token says: who, which use, and the admin's token version when it was issued.</summary>
public sealed record AdminTokenClaims(string AdminId, string Use, int Version);

/// <summary>
/// Issues and checks admin JWTs (HS256). Access and refresh tokens differ in their <c>token_use</c> claim and
/// lifetime; a token is only accepted for the use it was issued for.
/// </summary>
public sealed class AdminTokens(AdminJwtOptions options, TimeProvider clock)
{
    private const string UseClaim = "token_use";
    private const string VersionClaim = "ver";
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Issue(AdminRecord admin, string use)
    {
        var key = Key();
        var now = clock.GetUtcNow().UtcDateTime;
        var lifetime = use == TokenUse.Refresh ? options.RefreshLifetime : options.AccessLifetime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AdminJwtOptions.Issuer,
            Audience = AdminJwtOptions.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            TokenType = "JWT",
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = admin.Id,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                ["name"] = admin.Name,
                [UseClaim] = use,
                [VersionClaim] = admin.TokenVersion,
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The claims of a well-signed, unexpired token of the expected use; null for anything else.</summary>
    public async Task<AdminTokenClaims?> ValidateAsync(string token, string expectedUse)
    {
        var key = Key();
        if (token.Length > 4096) return null;
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = AdminJwtOptions.Issuer,
            ValidAudience = AdminJwtOptions.Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidTypes = ["JWT"],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(5),
            LifetimeValidator = (notBefore, expires, _, p) => ValidLifetime(notBefore, expires, p.ClockSkew),
        });
        if (!result.IsValid) return null;
        var claims = result.Claims;
        if (!claims.TryGetValue(UseClaim, out var use) || use as string != expectedUse) return null;
        if (!claims.TryGetValue(JwtRegisteredClaimNames.Sub, out var sub) || sub is not string adminId) return null;
        var version = claims.TryGetValue(VersionClaim, out var v) && int.TryParse(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture), out var n) ? n : -1;
        return new AdminTokenClaims(adminId, expectedUse, version);
    }

    // Checked against the injected clock, so the lifetime is testable and agrees with the issuing side.
    private bool ValidLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (expires is null || expires.Value.ToUniversalTime() + skew < now) return false;
        return notBefore is null || notBefore.Value.ToUniversalTime() - skew <= now;
    }

    /// <summary>503 when no signing key is configured, before any credential is looked at.</summary>
    public void EnsureConfigured() => Key();

    private SymmetricSecurityKey Key() => options.SigningKey is { } key
        ? new SymmetricSecurityKey(key)
        : throw new ApiException(503, "admin_not_configured",
            $"the admin console is not configured: set ADMIN_JWT_SECRET (at least {AdminJwtOptions.MinimumKeyBytes} bytes)");
}
