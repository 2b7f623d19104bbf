using System.Collections.Frozen;

namespace Ihui.Features.Common.Vendors.Channels;

/// <summary>
/// One upstream account as routing sees it: its endpoint (URL, key, timeout), the models it serves, its priority,
/// weight and health. Immutable but for the health: a change makes a new snapshot.
/// </summary>
public sealed class Channel
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required VendorDefinition Vendor { get; init; }
    public required VendorEndpoint Endpoint { get; init; }
    public required ChannelHealth Health { get; init; }
    public int Priority { get; init; }
    public int Weight { get; init; } = 1;
    public bool Enabled { get; init; } = true;
    public string? DisabledReason { get; init; }

    /// <summary>The models served (the name Ihui sends upstream → the name this account knows it by, or null for the same); null = every model.</summary>
    public FrozenDictionary<string, string?>? Models { get; init; }

    /// <summary>The vendor's default channel, configured by its environment variables.</summary>
    public bool FromEnvironment { get; init; }

    public bool Serves(string? model) => Models is null || (model is not null && Models.ContainsKey(model));

    /// <summary>The model name to send this account.</summary>
    public string? Upstream(string? model) =>
        model is not null && Models is not null && Models.TryGetValue(model, out var upstream) && upstream is not null ? upstream : model;
}
