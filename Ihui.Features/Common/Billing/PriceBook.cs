using System.Collections.Frozen;
using Dapper;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Data;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Billing;

/// <summary>
/// Prices from the <c>prices</c> table, cached briefly so the hot path does not read them per call.
/// Configuration (<c>Prices:&lt;model&gt;:Per1KIn</c> …) seeds models the table does not have yet;
/// an operator's edits in the table win.
/// </summary>
public sealed class PriceBook(Db db, TimeProvider clock)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(FrozenDictionary<string, Price> Prices, DateTimeOffset LoadedAt);

    public async ValueTask<Price?> FindAsync(string model, CancellationToken ct = default)
    {
        var snapshot = _snapshot;
        if (snapshot is null || clock.GetUtcNow() - snapshot.LoadedAt > Ttl)
            snapshot = await ReloadAsync(ct);
        return snapshot.Prices.GetValueOrDefault(model);
    }

    public async Task<IReadOnlyCollection<Price>> AllAsync(CancellationToken ct = default) =>
        (await ReloadAsync(ct)).Prices.Values;

    private async Task<Snapshot> ReloadAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Price>(
            "SELECT model AS Model, per_1k_in AS Per1KIn, per_1k_out AS Per1KOut, per_call AS PerCall, per_image AS PerImage, per_second AS PerSecond FROM prices");
        var snapshot = new Snapshot(rows.ToFrozenDictionary(p => p.Model, StringComparer.Ordinal), clock.GetUtcNow());
        _snapshot = snapshot;
        return snapshot;
    }

    public void Invalidate() => _snapshot = null;

    /// <summary>Inserts configured prices for models the table does not know yet.</summary>
    public async Task SeedAsync(IConfiguration configuration, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var known = (await c.QueryAsync<string>("SELECT model FROM prices")).ToHashSet(StringComparer.Ordinal);
        foreach (var price in Configured(configuration))
        {
            if (known.Contains(price.Model)) continue;
            await db.ExecuteWriteAsync(
                "INSERT INTO prices (model, per_1k_in, per_1k_out, per_call, per_image, per_second, updated_at) VALUES (@Model, @In, @Out, @Call, @Image, @Second, @Now)",
                new
                {
                    price.Model,
                    In = price.Per1KIn, Out = price.Per1KOut, Call = price.PerCall, Image = price.PerImage, Second = price.PerSecond,
                    Now = clock.GetUtcNow().UtcDateTime,
                }, ct);
        }
        Invalidate();
    }

    /// <summary>The configured price seeds; a price that is not a number from 0 stops the start (checked while the services are registered).</summary>
    public static IReadOnlyList<Price> Configured(IConfiguration configuration) =>
        configuration.GetSection("Prices").GetChildren().Select(s => new Price
        {
            Model = s.Key,
            Per1KIn = Read(configuration, s, "Per1KIn"), Per1KOut = Read(configuration, s, "Per1KOut"), PerCall = Read(configuration, s, "PerCall"),
            PerImage = Read(configuration, s, "PerImage"), PerSecond = Read(configuration, s, "PerSecond"),
        }).ToList();

    private static decimal Read(IConfiguration configuration, IConfigurationSection s, string key) =>
        Setting.Decimal(configuration, $"{s.Path}:{key}", 0m, 0m, 1_000_000_000m);
}
