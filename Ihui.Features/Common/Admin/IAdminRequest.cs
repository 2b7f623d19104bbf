using Ihui.Features.Common.Pipeline;

namespace Ihui.Features.Common.Admin;

/// <summary>
/// A request only a signed-in admin may make: the endpoint copies the bearer token from
/// <c>Authorization: Bearer &lt;access_token&gt;</c> (see <see cref="AdminBearer"/>); the auth behaviour accepts a
/// valid, unexpired access token (never a refresh token) of an admin that still exists and sets <see cref="CurrentAdmin"/>.
/// </summary>
public interface IAdminRequest : IAuthenticatedRequest
{
    string? AccessToken { get; }
    Credential IAuthenticatedRequest.Credential => new(CredentialKind.AdminToken, AccessToken);
}

/// <summary>The admin of the current scope, set by <see cref="AdminTokenResolver"/>.</summary>
public sealed class CurrentAdmin
{
    private AdminRecord? _admin;

    public AdminRecord Admin => _admin ?? throw new InvalidOperationException("No admin: the request did not pass the auth behaviour.");
    public void Set(AdminRecord admin) => _admin = admin;
}

public static class AdminBearer
{
    /// <summary>The token of an <c>Authorization: Bearer …</c> header, or null.</summary>
    public static string? From(string? authorization) =>
        authorization is { Length: > 7 } h && h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? h[7..].Trim() : null;
}
