using Ihui.Features.Common.Users;

namespace Ihui.Features.Common.Pipeline;

/// <summary>Seed 001/002's <c>uuid</c> (+ <c>username</c>): an existing, enabled user whose name matches when one is given.</summary>
public sealed class UuidUsernameResolver(UserStore users) : ICredentialResolver
{
    private const char Separator = '\n';

    public CredentialKind Kind => CredentialKind.UuidAndUsername;

    /// <summary>One credential string for the pair; null when there is no uuid (a 401 "uuid is required").</summary>
    public static string? Encode(string? uuid, string? username) =>
        string.IsNullOrWhiteSpace(uuid) ? null
        : string.IsNullOrEmpty(username) ? uuid.Trim()
        : uuid.Trim() + Separator + username;

    public async ValueTask<Caller?> ResolveAsync(string credential, CancellationToken ct)
    {
        var cut = credential.IndexOf(Separator);
        var uuid = cut < 0 ? credential : credential[..cut];
        var username = cut < 0 ? null : credential[(cut + 1)..];
        if (!Guid.TryParse(uuid, out _)) return null;
        var user = await users.FindAsync(uuid, ct);
        if (user is not { Enabled: true }) return null;
        return username is null || string.Equals(user.Username, username, StringComparison.Ordinal) ? new Caller(user.Id) : null;
    }
}
