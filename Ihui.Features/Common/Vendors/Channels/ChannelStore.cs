using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Ihui.Features.Common.Vendors.Channels;

/// <summary>A <c>channels</c> row. <see cref="Credential"/> is the Data-Protection-sealed key, never the key itself.</summary>
public sealed record ChannelRow
{
    public string Id { get; init; } = "";
    public string Vendor { get; init; } = "";
    public string Name { get; init; } = "";
    public string? BaseUrl { get; init; }
    public string? Credential { get; init; }
    public string? CredentialHint { get; init; }
    public string? Models { get; init; }
    public int Priority { get; init; }
    public int Weight { get; init; } = 1;
    public int? TimeoutSeconds { get; init; }
    public bool Enabled { get; init; } = true;
    public string? DisabledReason { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public bool IsEnvironmentOverride => Id == ChannelNames.EnvironmentId(Vendor);
}

/// <summary>
/// The <c>channels</c> table. Credentials are sealed with ASP.NET Data Protection (whose key ring is in the database,
/// so every instance opens what another sealed) before they are written, and opened only to build a channel's endpoint.
/// </summary>
public sealed class ChannelStore(Db db, IDataProtectionProvider protection, TimeProvider clock)
{
    private const string Columns =
        "id AS Id, vendor AS Vendor, name AS Name, base_url AS BaseUrl, credential AS Credential, credential_hint AS CredentialHint, " +
        "models AS Models, priority AS Priority, weight AS Weight, timeout_seconds AS TimeoutSeconds, enabled AS Enabled, " +
        "disabled_reason AS DisabledReason, created_at AS CreatedAt, updated_at AS UpdatedAt";

    private readonly IDataProtector _protector = protection.CreateProtector("Ihui.Channels.Credential.v1");

    public async Task<IReadOnlyList<ChannelRow>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<ChannelRow>(new CommandDefinition($"SELECT {Columns} FROM channels ORDER BY vendor, priority DESC, name",
            cancellationToken: ct))).ToList();
    }

    public async Task<ChannelRow?> FindAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ChannelRow>(new CommandDefinition($"SELECT {Columns} FROM channels WHERE id = @id",
            new { id }, cancellationToken: ct));
    }

    public string Seal(string credential) => _protector.Protect(credential);

    /// <summary>The key, or null when this key ring cannot open it (the ring was replaced).</summary>
    public string? Open(string sealedCredential)
    {
        try
        {
            return _protector.Unprotect(sealedCredential);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Inserts the row, or replaces every field of the row with the same id.</summary>
    public Task SaveAsync(ChannelRow row, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var args = new
        {
            row.Id, row.Vendor, row.Name, row.BaseUrl, row.Credential, row.CredentialHint, row.Models, row.Priority, row.Weight,
            row.TimeoutSeconds, row.Enabled, row.DisabledReason, Now = now,
        };
        return db.WriteAsync(async (c, tx) =>
        {
            var updated = await c.ExecuteAsync(
                "UPDATE channels SET vendor = @Vendor, name = @Name, base_url = @BaseUrl, credential = @Credential, credential_hint = @CredentialHint, " +
                "models = @Models, priority = @Priority, weight = @Weight, timeout_seconds = @TimeoutSeconds, enabled = @Enabled, " +
                "disabled_reason = @DisabledReason, updated_at = @Now WHERE id = @Id", args, tx);
            if (updated == 0)
                await c.ExecuteAsync(
                    "INSERT INTO channels (id, vendor, name, base_url, credential, credential_hint, models, priority, weight, timeout_seconds, " +
                    "enabled, disabled_reason, created_at, updated_at) VALUES (@Id, @Vendor, @Name, @BaseUrl, @Credential, @CredentialHint, @Models, " +
                    "@Priority, @Weight, @TimeoutSeconds, @Enabled, @DisabledReason, @Now, @Now)", args, tx);
        }, ct);
    }

    /// <summary>Turns a channel off (or on) and says why; false when there is no such row.</summary>
    public async Task<bool> SetEnabledAsync(string id, bool enabled, string? reason, CancellationToken ct = default) =>
        await db.ExecuteWriteAsync("UPDATE channels SET enabled = @enabled, disabled_reason = @reason, updated_at = @now WHERE id = @id",
            new { id, enabled, reason = enabled ? null : reason is { Length: > 255 } ? reason[..255] : reason, now = clock.GetUtcNow().UtcDateTime }, ct) > 0;

    /// <summary>What changes when any instance edits a channel: the row count and the newest edit.</summary>
    public async Task<string> VersionAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MAX(updated_at) FROM channels";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetValue(0) + "|" + (reader.IsDBNull(1) ? "" : Convert.ToString(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// What is sealed into <c>credential</c>: the key itself, or for a key-pair vendor (Kling, Jimeng) both keys as
    /// <c>{"access_key","secret_key"}</c>, so the pair is sealed, rotated and opened as one.
    /// </summary>
    public static string Pack(string key, string? secret) =>
        secret is null ? key : JsonSerializer.Serialize(new KeyPair(key, secret));

    /// <summary>The key and secret of an opened credential; null when a key-pair vendor's credential is not a pair.</summary>
    public static (string Key, string? Secret)? Unpack(string opened, bool pair)
    {
        if (!pair) return (opened, null);
        try
        {
            return JsonSerializer.Deserialize<KeyPair>(opened) is { AccessKey.Length: > 0, SecretKey.Length: > 0 } p ? (p.AccessKey, p.SecretKey) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record KeyPair(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_key")] string AccessKey,
        [property: System.Text.Json.Serialization.JsonPropertyName("secret_key")] string SecretKey);

    public static string? SerializeModels(IReadOnlyDictionary<string, string?>? models) =>
        models is null ? null : JsonSerializer.Serialize(models);

    public static Dictionary<string, string?>? ParseModels(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(json);
}
