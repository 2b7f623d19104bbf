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

    /// <summary>Default call parameters (a JSON object such as <c>{"temperature":1.5}</c>), or null.</summary>
    public string? Parameters { get; init; }

    public DateTime? LastUsedAt { get; init; }

    /// <summary>Serves OpenAI-shaped chat completions: seed 003 routes <c>chat</c> and <c>other</c> models there.</summary>
    public bool IsChat => Type is ModelTypes.Chat or ModelTypes.Other;
}

/// <summary>Seed 003's model types: chat, other (served like chat), t2i (text to image), i2t (image to text).</summary>
public static class ModelTypes
{
    public const string Chat = "chat";
    public const string Other = "other";
    public const string TextToImage = "t2i";
    public const string ImageToText = "i2t";

    public static readonly IReadOnlyList<string> All = [Chat, Other, TextToImage, ImageToText];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type);
}

/// <summary>
/// The <c>models</c> table (seed 003's model registry: a name is its <c>llm_id</c>), cached briefly so the hot path does
/// not read it per call. Configuration (<c>Models:&lt;name&gt;:Vendor|UpstreamModel|Type|Enabled|Parameters</c>) seeds
/// names the table does not have yet; an operator's edits in the table (the admin console) win. A model's price is the
/// <c>prices</c> row of the same name. A name <c>302/…</c> without a vendor is served by the 302.AI aggregator.
/// </summary>
public sealed class ModelCatalog(Db db, TimeProvider clock) : IStartupSeeder
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(FrozenDictionary<string, CatalogModel> Models, DateTimeOffset LoadedAt);

    private const string Columns =
        "name AS Name, vendor AS Vendor, upstream_model AS UpstreamModel, type AS Type, enabled AS Enabled, created_at AS CreatedAt, " +
        "parameters AS Parameters, last_used_at AS LastUsedAt";

    /// <summary>The aggregator's prefix in seed 003's ids (<c>302/flux-schnell-1</c>).</summary>
    public const string AggregatorPrefix = "302/";

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
            $"SELECT {Columns} FROM models", cancellationToken: ct));
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
            if (known.Contains(section.Key) || VendorOf(section) is not { } vendor) continue;
            await db.ExecuteWriteAsync(
                "INSERT INTO models (name, vendor, upstream_model, type, enabled, parameters, created_at, updated_at) " +
                "VALUES (@Name, @Vendor, @Upstream, @Type, @Enabled, @Parameters, @Now, @Now)",
                new
                {
                    Name = section.Key,
                    Vendor = vendor,
                    Upstream = section["UpstreamModel"] is { Length: > 0 } u ? u
                        : section.Key.StartsWith(AggregatorPrefix, StringComparison.Ordinal) ? section.Key[AggregatorPrefix.Length..] : section.Key,
                    Type = TypeOf(section),
                    Enabled = Enabled(configuration, section) ? 1 : 0,
                    Parameters = ParametersOf(section),
                    Now = now,
                }, ct);
        }
        Invalidate();
    }

    /// <summary>Checks the configured seeds while the services are registered, so a bad <c>Enabled</c> stops the start.</summary>
    public static void CheckConfigured(IConfiguration configuration)
    {
        foreach (var section in configuration.GetSection("Models").GetChildren())
        {
            Enabled(configuration, section);
            TypeOf(section);
            ParametersOf(section);
        }
    }

    /// <summary>Stores an operator's definition of a model (the admin console), replacing the one of that name.</summary>
    public async Task UpsertAsync(CatalogModel model, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var args = new { model.Name, model.Vendor, model.UpstreamModel, model.Type, Enabled = model.Enabled ? 1 : 0, model.Parameters, Now = now };
        await db.WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE models SET vendor = @Vendor, upstream_model = @UpstreamModel, type = @Type, enabled = @Enabled, parameters = @Parameters, " +
                    "updated_at = @Now WHERE name = @Name", args, tx, cancellationToken: ct)) == 0)
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO models (name, vendor, upstream_model, type, enabled, parameters, created_at, updated_at) " +
                    "VALUES (@Name, @Vendor, @UpstreamModel, @Type, @Enabled, @Parameters, @Now, @Now)", args, tx, cancellationToken: ct));
        }, ct);
        Invalidate();
    }

    /// <summary>The enabled models, optionally of one type or one name, read from the table (not the cache).</summary>
    public async Task<IReadOnlyList<CatalogModel>> ListEnabledAsync(string? type, string? name, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<CatalogRow>(new CommandDefinition(
            $"SELECT {Columns} FROM models WHERE enabled = 1 AND (@type IS NULL OR type = @type) AND (@name IS NULL OR name = @name) ORDER BY type, name",
            new { type, name }, cancellationToken: ct));
        return rows.Select(r => r.ToModel()).ToList();
    }

    /// <summary>
    /// The enabled model of <paramref name="type"/> handed out longest ago (never first, then by name), marked as used in
    /// the same transaction. The models of the type are read with a row lock (MySQL; SQLite's one writer serializes
    /// anyway), so concurrent pickers of one type take turns and each sees the marks before it: they are spread over the
    /// models round-robin. The mark is later than every other mark of the type, so a clock read before the lock cannot
    /// put a model back in front. Null when none is enabled.
    /// </summary>
    public Task<CatalogModel?> PickLeastUsedAsync(string type, CancellationToken ct) =>
        db.WriteAsync<CatalogModel?>(async (c, tx) =>
        {
            var rows = (await c.QueryAsync<CatalogRow>(new CommandDefinition(
                $"SELECT {Columns} FROM models WHERE enabled = 1 AND type = @type ORDER BY name{db.ForUpdate}", new { type }, tx, cancellationToken: ct))).ToList();
            if (rows.Count == 0) return null;
            var row = rows.OrderBy(r => r.LastUsedAt is null ? 0 : 1).ThenBy(r => r.LastUsedAt).ThenBy(r => r.Name, StringComparer.Ordinal).First();
            var now = clock.GetUtcNow().UtcDateTime;
            var latest = rows.Max(r => r.LastUsedAt);
            // One microsecond: the finest step both stores keep.
            var mark = latest is { } l && l >= now ? l.AddTicks(10) : now;
            await c.ExecuteAsync(new CommandDefinition("UPDATE models SET last_used_at = @mark WHERE name = @Name",
                new { mark, row.Name }, tx, cancellationToken: ct));
            return row.ToModel() with { LastUsedAt = DateTime.SpecifyKind(mark, DateTimeKind.Utc) };
        }, ct);

    private static string? VendorOf(IConfigurationSection section) =>
        section["Vendor"] is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim().ToLowerInvariant()
        : section.Key.StartsWith(AggregatorPrefix, StringComparison.Ordinal) ? Vendors.KnownVendors.Ai302.Name : null;

    private static string TypeOf(IConfigurationSection section)
    {
        var type = section["Type"] is { Length: > 0 } t ? t.Trim() : ModelTypes.Chat;
        return ModelTypes.IsKnown(type) ? type : throw Setting.Invalid(section.Path + ":Type", type, "one of " + string.Join(", ", ModelTypes.All));
    }

    /// <summary>The configured parameters as compact JSON; anything but a JSON object stops the start.</summary>
    private static string? ParametersOf(IConfigurationSection section)
    {
        if (section["Parameters"] is not { } text || string.IsNullOrWhiteSpace(text)) return null;
        return ModelParameters.Normalize(text) ?? throw Setting.Invalid(section.Path + ":Parameters", text, "a JSON object, e.g. {\"temperature\":1.5}");
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
        public string? Parameters { get; init; }
        public DateTime? LastUsedAt { get; init; }

        public CatalogModel ToModel() => new()
        {
            Name = Name, Vendor = Vendor, UpstreamModel = UpstreamModel, Type = Type, Enabled = Enabled != 0,
            CreatedAt = DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), Parameters = Parameters,
            LastUsedAt = LastUsedAt is { } l ? DateTime.SpecifyKind(l, DateTimeKind.Utc) : null,
        };
    }
}
