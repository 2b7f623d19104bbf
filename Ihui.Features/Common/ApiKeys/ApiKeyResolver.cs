using Ihui.Features.Common.Pipeline;

namespace Ihui.Features.Common.ApiKeys;

/// <summary><c>Authorization: Bearer sk-…</c>: an active key of an enabled user; the key's model allow-list rides on the caller.</summary>
public sealed class ApiKeyResolver(ApiKeyStore keys) : ICredentialResolver
{
    public CredentialKind Kind => CredentialKind.ApiKey;

    public async ValueTask<Caller?> ResolveAsync(string credential, CancellationToken ct)
    {
        if (!credential.StartsWith("sk-", StringComparison.Ordinal) || credential.Length > 200) return null;
        var key = await keys.FindActiveAsync(credential, ct);
        return key is null ? null : new Caller(key.UserId, key.Id)
        {
            AllowedModels = key.Models, KeyRpmLimit = key.RpmLimit, KeyConcurrencyLimit = key.ConcurrencyLimit,
        };
    }
}
