using System.Collections.Frozen;
using Dapper;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Models;

/// <summary>A public model name and where it is served: vendor, the vendor's model id, its type and whether it is on.</summary>
public sealed record CatalogModel
{
    public string Name { get; init; } = "";
    public string Vendor { get; init; } = "";
    public string UpstreamModel { get; init; } = "";
    public string Type { get; init; } = ModelTypes.Chat;
    public bool Enabled { get; init; }
    public DateTime CreatedAt { get; init; }
}

public static class ModelTypes
{
    public const string Chat = "chat";
}

/// <summary>
/// The <c>models</c> table, cached briefly so the hot path does not read it per call. Configuration
/// (<c>Models:&lt;name&gt;:Vendor|UpstreamModel|Type|Enabled</c>) seeds names the table does not have yet;
/// an operator's edits in the table win. A model's price is the <c>prices</c> row of the same name.
/// </summary>
public sealed class ModelCatalog(Db db, TimeProvider clock) : IStartupSeeder
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(FrozenDictionary<string, CatalogModel> Models, DateTimeOffset LoadedAt);

    /// <summary>The model when it exists and is enabled; null otherwise.</summary>
    public async ValueTask<CatalogModel?> FindEnabledAsync(string name, CancellationToken ct = default) =>
        (await CurrentAsync(ct)).Models.GetValueOrDefault(name) is { Enabled: true } m ? m : null;

    public async ValueTask<IReadOnlyCollection<CatalogModel>> AllAsync(CancellationToken ct = default) =>
        (await CurrentAsync(ct)).Models.Values;

    public void Invalidate() => _snapshot = null;

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt <= Ttl) return snapshot;
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<CatalogRow>(new CommandDefinition(
            "SELECT name AS Name, vendor AS Vendor, upstream_model AS UpstreamModel, type AS Type, enabled AS Enabled, created_at AS CreatedAt FROM models",
            cancellationToken: ct));
        snapshot = new Snapshot(rows.Select(r => r.ToModel()).ToFrozenDictionary(m => m.Name, StringComparer.Ordinal), clock.GetUtcNow());
        _snapshot = snapshot;
        return snapshot;
    }

    public async Task SeedAsync(IConfiguration configuration, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var known = (await c.QueryAsync<string>("SELECT name FROM models")).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var section in configuration.GetSection("Models").GetChildren())
        {
            if (known.Contains(section.Key) || string.IsNullOrWhiteSpace(section["Vendor"])) continue;
            await db.ExecuteWriteAsync(
                "INSERT INTO models (name, vendor, upstream_model, type, enabled, created_at, updated_at) VALUES (@Name, @Vendor, @Upstream, @Type, @Enabled, @Now, @Now)",
                new
                {
                    Name = section.Key,
                    Vendor = section["Vendor"]!.Trim().ToLowerInvariant(),
                    Upstream = section["UpstreamModel"] is { Length: > 0 } u ? u : section.Key,
                    Type = section["Type"] is { Length: > 0 } t ? t : ModelTypes.Chat,
                    Enabled = Enabled(configuration, section) ? 1 : 0,
                    Now = now,
                }, ct);
        }
        Invalidate();
    }

    /// <summary>Checks the configured seeds while the services are registered, so a bad <c>Enabled</c> stops the start.</summary>
    public static void CheckConfigured(IConfiguration configuration)
    {
        foreach (var section in configuration.GetSection("Models").GetChildren()) Enabled(configuration, section);
    }

    private static bool Enabled(IConfiguration configuration, IConfigurationSection section) => Setting.Bool(configuration, section.Path + ":Enabled", true);

    private sealed class CatalogRow
    {
        public string Name { get; init; } = "";
        public string Vendor { get; init; } = "";
        public string UpstreamModel { get; init; } = "";
        public string Type { get; init; } = "";
        public long Enabled { get; init; }
        public DateTime CreatedAt { get; init; }

        public CatalogModel ToModel() => new()
        {
            Name = Name, Vendor = Vendor, UpstreamModel = UpstreamModel, Type = Type, Enabled = Enabled != 0,
            CreatedAt = DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
        };
    }
}
