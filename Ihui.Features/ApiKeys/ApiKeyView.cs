using Ihui.Features.Common.ApiKeys;

namespace Ihui.Features.ApiKeys;

/// <summary>A key as the key routes show it. <see cref="Key"/> (the secret) is set only in the answer to its creation.</summary>
public sealed record ApiKeyView(string Id, string? Key, string KeyHint, string? Name, IReadOnlyList<string>? Models, long? Quota, long Used,
    string Status, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime CreatedAt)
{
    /// <summary>The key's own limits; absent: the global key defaults apply.</summary>
    public int? RpmLimit { get; init; }
    public int? ConcurrencyLimit { get; init; }

    public static ApiKeyView From(ApiKeyInfo k, DateTime now, string? secret = null) => new(k.Id, secret, k.KeyHint, k.Name, k.Models, k.Quota, k.Used,
        k.RevokedAt is not null ? "revoked" : k.ExpiresAt <= now ? "expired" : "active", k.ExpiresAt, k.RevokedAt, k.CreatedAt)
    {
        RpmLimit = k.RpmLimit, ConcurrencyLimit = k.ConcurrencyLimit,
    };
}
