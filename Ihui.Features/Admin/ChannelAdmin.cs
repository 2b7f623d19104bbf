using System.Text.Json.Serialization;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;

using Ihui.Features.Common.Vendors.Channels;

namespace Ihui.Features.Admin;

/// <summary>A channel as the admin routes show it: the key only as its last four characters.</summary>
public sealed record ChannelView
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("vendor")] public string Vendor { get; init; } = "";
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary><c>environment</c> (the vendor's variables) or <c>admin</c>.</summary>
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("base_url")] public string BaseUrl { get; init; } = "";
    [JsonPropertyName("api_key")] public string ApiKey { get; init; } = "";
    /// <summary>A key-pair vendor's (Kling, Jimeng) secret key, masked like the key; absent for the others.</summary>
    [JsonPropertyName("secret_key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? SecretKey { get; init; }
    [JsonPropertyName("models"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public IReadOnlyDictionary<string, string?>? Models { get; init; }
    [JsonPropertyName("priority")] public int Priority { get; init; }
    [JsonPropertyName("weight")] public int Weight { get; init; }
    [JsonPropertyName("timeout_seconds")] public double TimeoutSeconds { get; init; }
    [JsonPropertyName("enabled")] public bool Enabled { get; init; }
    [JsonPropertyName("disabled_reason"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? DisabledReason { get; init; }
    /// <summary>The breaker on this instance: <c>closed</c>, <c>open</c> or <c>half_open</c>.</summary>
    [JsonPropertyName("health")] public string Health { get; init; } = "";

    /// <summary>What an admin may see of a key: its last four characters.</summary>
    public static string Mask(string? key) => key is { Length: >= 12 } ? "****" + key[^4..] : "****";

    public static ChannelView Of(Channel c) => new()
    {
        Id = c.Id, Vendor = c.Vendor.Name, Name = c.Name, Source = c.FromEnvironment ? "environment" : "admin",
        BaseUrl = c.Endpoint.BaseUrl.ToString().TrimEnd('/'), ApiKey = Mask(c.Endpoint.Key),
        SecretKey = c.Vendor.UsesKeyPair ? Mask(c.Endpoint.Secret) : null, Models = c.Models, Priority = c.Priority,
        Weight = c.Weight, TimeoutSeconds = c.Endpoint.Timeout.TotalSeconds, Enabled = c.Enabled, DisabledReason = c.DisabledReason,
        Health = c.Health.Now(c.Health.Millis()) switch
        {
            ChannelHealth.State.Open => "open",
            ChannelHealth.State.HalfOpen => "half_open",
            _ => "closed",
        },
    };
}

/// <summary>What an admin changes; null fields are left as they are.</summary>
public sealed record ChannelChange
{
    public string? Name { get; init; }
    public string? BaseUrl { get; init; }
    public string? ApiKey { get; init; }
    /// <summary>The secret key of a key-pair vendor (Kling, Jimeng); <see cref="ApiKey"/> is then its access key.</summary>
    public string? SecretKey { get; init; }
    public Dictionary<string, string?>? Models { get; init; }
    /// <summary>Drop the model list: the channel serves every model.</summary>
    public bool AllModels { get; init; }
    public int? Priority { get; init; }
    public int? Weight { get; init; }
    public int? TimeoutSeconds { get; init; }
    public bool? Enabled { get; init; }
}

/// <summary>
/// The admin routes' channel operations: each writes the row and rebuilds this instance's routing at once (the others
/// within <see cref="ChannelSettings.Refresh"/>). A vendor's default channel keeps its URL and key from the environment;
/// its priority, weight, models, timeout and enabled flag are kept in a row of its own.
/// </summary>
public sealed class ChannelAdmin(ChannelStore store, ChannelRouter router)
{
    public IReadOnlyList<ChannelView> List() =>
        ChannelRouter.Routable.Keys.Order(StringComparer.Ordinal).SelectMany(router.ChannelsOf).Select(ChannelView.Of).ToList();

    public Channel Find(string id) => router.Find(id) ?? throw ApiException.NotFound("no channel with that id");

    public ChannelView View(string id) => ChannelView.Of(Find(id));

    public async Task<ChannelView> CreateAsync(string vendor, ChannelChange change, CancellationToken ct)
    {
        var pair = ChannelRouter.Routable[vendor].UsesKeyPair;
        if (pair != (change.SecretKey is not null))
            throw ApiException.BadRequest(pair ? $"{vendor} signs with a key pair: send api_key (the access key) and secret_key"
                : $"{vendor} takes one key: send api_key without secret_key");
        var row = new ChannelRow
        {
            Id = Guid.CreateVersion7().ToString(), Vendor = vendor, Name = change.Name!, BaseUrl = change.BaseUrl!.TrimEnd('/'),
            Credential = store.Seal(ChannelStore.Pack(change.ApiKey!, change.SecretKey)), CredentialHint = ChannelView.Mask(change.ApiKey),
            Models = ChannelStore.SerializeModels(change.Models), Priority = change.Priority ?? 0, Weight = change.Weight ?? 1,
            TimeoutSeconds = change.TimeoutSeconds, Enabled = change.Enabled ?? true,
        };
        await SaveAsync(row, ct);
        return ChannelView.Of(Find(row.Id));
    }

    public async Task<ChannelView> UpdateAsync(string id, ChannelChange change, CancellationToken ct)
    {
        var channel = Find(id);
        if (channel.FromEnvironment && (change.Name is not null || change.BaseUrl is not null || change.ApiKey is not null || change.SecretKey is not null))
            throw ApiException.BadRequest("the default channel's name, base_url and keys come from the environment: change the vendor's variables");
        if (change.SecretKey is not null && !channel.Vendor.UsesKeyPair)
            throw ApiException.BadRequest($"{channel.Vendor.Name} takes one key: send api_key without secret_key");
        var row = await store.FindAsync(id, ct) ?? new ChannelRow
        {
            Id = id, Vendor = channel.Vendor.Name, Name = channel.Name, Priority = channel.Priority, Weight = channel.Weight,
            Enabled = channel.Enabled,
        };
        var enabled = change.Enabled ?? row.Enabled;
        row = row with
        {
            Name = change.Name ?? row.Name,
            BaseUrl = change.BaseUrl?.TrimEnd('/') ?? row.BaseUrl,
            Credential = change.ApiKey is null && change.SecretKey is null ? row.Credential : store.Seal(Credential(channel, change)),
            CredentialHint = change.ApiKey is null ? row.CredentialHint : ChannelView.Mask(change.ApiKey),
            Models = change.AllModels ? null : change.Models is null ? row.Models : ChannelStore.SerializeModels(change.Models),
            Priority = change.Priority ?? row.Priority,
            Weight = change.Weight ?? row.Weight,
            TimeoutSeconds = change.TimeoutSeconds ?? row.TimeoutSeconds,
            Enabled = enabled,
            DisabledReason = enabled ? null : row.DisabledReason,
        };
        await SaveAsync(row, ct);
        return ChannelView.Of(Find(id));
    }

    /// <summary>The new credential: what was sent, the rest kept (a key pair changes one half at a time if need be).</summary>
    private static string Credential(Channel channel, ChannelChange change)
    {
        var key = change.ApiKey ?? channel.Endpoint.Key;
        var secret = channel.Vendor.UsesKeyPair ? change.SecretKey ?? channel.Endpoint.Secret : null;
        if (key is null || (channel.Vendor.UsesKeyPair && secret is null))
            throw ApiException.BadRequest("the stored credential cannot be opened: send " + (channel.Vendor.UsesKeyPair ? "api_key and secret_key" : "api_key"));
        return ChannelStore.Pack(key, secret);
    }

    public async Task<ChannelView> DisableAsync(string id, string? reason, CancellationToken ct)
    {
        var channel = Find(id);
        var text = "disabled by an admin" + (string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason.Trim());
        if (!await store.SetEnabledAsync(id, false, text, ct))
            await store.SaveAsync(new ChannelRow
            {
                Id = id, Vendor = channel.Vendor.Name, Name = channel.Name, Priority = channel.Priority, Weight = channel.Weight,
                TimeoutSeconds = null, Models = ChannelStore.SerializeModels(channel.Models), Enabled = false, DisabledReason = text,
            }, ct);
        await router.ReloadAsync(ct);
        return ChannelView.Of(Find(id));
    }

    private async Task SaveAsync(ChannelRow row, CancellationToken ct)
    {
        try
        {
            await store.SaveAsync(row, ct);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            throw ApiException.Conflict($"{row.Vendor} already has a channel named '{row.Name}'");
        }
        await router.ReloadAsync(ct);
    }
}
