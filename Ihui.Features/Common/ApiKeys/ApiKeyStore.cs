using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Ihui.Features.Common.Data;

namespace Ihui.Features.Common.ApiKeys;

/// <summary>A key as its owner sees it: never the secret, only a hint of it.</summary>
public sealed record ApiKeyInfo
{
    public string Id { get; init; } = "";
    public string UserId { get; init; } = "";
    public string? Name { get; init; }
    public string KeyHint { get; init; } = "";
    public IReadOnlyList<string>? Models { get; init; }
    public long? Quota { get; init; }
    public long Used { get; init; }
    public DateTime? ExpiresAt { get; init; }
    public DateTime? RevokedAt { get; init; }
    public DateTime CreatedAt { get; init; }

    /// <summary>Requests per minute and at once for this key; null: the global defaults (RATE_LIMIT_KEY_*); 0: no limit.</summary>
    public int? RpmLimit { get; init; }
    public int? ConcurrencyLimit { get; init; }
}

/// <summary>What authentication needs of a key, cached by hash.</summary>
public sealed record ActiveApiKey(string Id, string UserId, IReadOnlySet<string>? Models, DateTime? ExpiresAt, int? RpmLimit, int? ConcurrencyLimit);

/// <summary>
/// API keys: <c>sk-</c> + 256 random bits, stored only as their SHA-256. Lookups are cached briefly, in this process's
/// memory and keyed by the key as presented (hashing it through OpenSSL on every call cost ~35 µs from cold caches);
/// only keys that name an active key are kept. Revocation on this instance drops the entry at once; reservation
/// re-checks revocation in the database.
/// </summary>
public sealed class ApiKeyStore(Db db, TimeProvider clock)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (ActiveApiKey Key, DateTimeOffset LoadedAt)> _cache = new(StringComparer.Ordinal);

    private const string Columns =
        "id AS Id, user_id AS UserId, name AS Name, key_hint AS KeyHint, models AS Models, quota AS Quota, used AS Used, " +
        "expires_at AS ExpiresAt, revoked_at AS RevokedAt, created_at AS CreatedAt, rpm_limit AS RpmLimit, concurrency_limit AS ConcurrencyLimit";

    private static readonly string KeyColumns = string.Join(", ", Columns.Split(", ").Select(column => "k." + column));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task<(ApiKeyInfo Info, string Secret)> CreateAsync(string userId, string? name, IReadOnlyList<string>? models,
        long? quota, DateTime? expiresAt, CancellationToken ct, int? rpmLimit = null, int? concurrencyLimit = null)
    {
        var secret = "sk-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var info = new ApiKeyInfo
        {
            Id = Guid.CreateVersion7().ToString(), UserId = userId, Name = name, KeyHint = $"{secret[..7]}…{secret[^4..]}",
            Models = models, Quota = quota, ExpiresAt = expiresAt, CreatedAt = clock.GetUtcNow().UtcDateTime,
            RpmLimit = rpmLimit, ConcurrencyLimit = concurrencyLimit,
        };
        await db.ExecuteWriteAsync(
            "INSERT INTO api_keys (id, user_id, name, key_hash, key_hint, models, quota, used, expires_at, revoked_at, created_at, rpm_limit, concurrency_limit) " +
            "VALUES (@Id, @UserId, @Name, @Hash, @KeyHint, @Models, @Quota, 0, @ExpiresAt, NULL, @CreatedAt, @RpmLimit, @ConcurrencyLimit)",
            new
            {
                info.Id, info.UserId, info.Name, Hash = Hash(secret), info.KeyHint, Models = models is null ? null : string.Join('\n', models),
                info.Quota, info.ExpiresAt, info.CreatedAt, info.RpmLimit, info.ConcurrencyLimit,
            }, ct);
        return (info, secret);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string userId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE user_id = @UserId ORDER BY created_at, id", new { UserId = userId }, cancellationToken: ct));
        return rows.Select(r => r.ToInfo()).ToList();
    }

    /// <summary>Revokes the user's own key; null when the user has no such key. Revoking twice keeps the first time.</summary>
    public async Task<ApiKeyInfo?> RevokeAsync(string userId, string id, CancellationToken ct)
    {
        await db.ExecuteWriteAsync(
            "UPDATE api_keys SET revoked_at = @Now WHERE id = @Id AND user_id = @UserId AND revoked_at IS NULL",
            new { Id = id, UserId = userId, Now = clock.GetUtcNow().UtcDateTime }, ct);
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @Id AND user_id = @UserId", new { Id = id, UserId = userId }, cancellationToken: ct));
        foreach (var entry in _cache.Where(e => e.Value.Key.Id == id)) _cache.TryRemove(entry);
        return row?.ToInfo();
    }

    /// <summary>
    /// Sets the user's own key's limits (null: the global defaults); null when the user has no such key. This
    /// instance sees the change at once; others within the cache's 30 s.
    /// </summary>
    public async Task<ApiKeyInfo?> SetLimitsAsync(string userId, string id, int? rpmLimit, int? concurrencyLimit, CancellationToken ct)
    {
        await db.ExecuteWriteAsync(
            "UPDATE api_keys SET rpm_limit = @RpmLimit, concurrency_limit = @ConcurrencyLimit WHERE id = @Id AND user_id = @UserId",
            new { Id = id, UserId = userId, RpmLimit = rpmLimit, ConcurrencyLimit = concurrencyLimit }, ct);
        foreach (var entry in _cache.Where(e => e.Value.Key.Id == id)) _cache.TryRemove(entry);
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @Id AND user_id = @UserId", new { Id = id, UserId = userId }, cancellationToken: ct));
        return row?.ToInfo();
    }

    /// <summary>The key behind <paramref name="secret"/> if it is neither revoked nor expired and its user is enabled.</summary>
    public async ValueTask<ActiveApiKey?> FindActiveAsync(string secret, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!_cache.TryGetValue(secret, out var cached) || now - cached.LoadedAt > Ttl)
        {
            var hash = Hash(secret);
            await using var c = await db.OpenAsync(ct);
            var row = await c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
                $"SELECT {KeyColumns} " +
                "FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = @Hash AND k.revoked_at IS NULL AND u.status = 1",
                new { Hash = hash }, cancellationToken: ct));
            if (row is null)
            {
                _cache.TryRemove(secret, out _);
                return null;
            }
            var models = row.ToInfo().Models;
            cached = (new ActiveApiKey(row.Id, row.UserId, models?.ToHashSet(StringComparer.Ordinal), row.ExpiresAt is { } e ? Utc(e) : null,
                row.RpmLimit, row.ConcurrencyLimit), now);
            _cache[secret] = cached;
        }
        return cached.Key.ExpiresAt is { } expires && expires <= now.UtcDateTime ? null : cached.Key;
    }

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    private sealed class KeyRow
    {
        public string Id { get; init; } = "";
        public string UserId { get; init; } = "";
        public string? Name { get; init; }
        public string KeyHint { get; init; } = "";
        public string? Models { get; init; }
        public long? Quota { get; init; }
        public long Used { get; init; }
        public DateTime? ExpiresAt { get; init; }
        public DateTime? RevokedAt { get; init; }
        public DateTime CreatedAt { get; init; }
        public int? RpmLimit { get; init; }
        public int? ConcurrencyLimit { get; init; }

        public ApiKeyInfo ToInfo() => new()
        {
            Id = Id, UserId = UserId, Name = Name, KeyHint = KeyHint,
            Models = Models is null ? null : Models.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Quota = Quota, Used = Used, ExpiresAt = ExpiresAt is { } e ? Utc(e) : null, RevokedAt = RevokedAt is { } r ? Utc(r) : null,
            CreatedAt = Utc(CreatedAt), RpmLimit = RpmLimit, ConcurrencyLimit = ConcurrencyLimit,
        };
    }
}
