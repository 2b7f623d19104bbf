using System.Collections.Frozen;
using System.Diagnostics;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Vendors.Channels;

/// <summary>
/// Picks the channel of each vendor request and fails over. Reads an in-memory snapshot of every vendor's channels
/// (rebuilt when a channel changes, never read per call from the database): the highest-priority channels that serve
/// the model and are healthy, one of them at random by weight. A try that fails before the vendor answered (connect
/// error, timeout, 429, 5xx, refused credentials) moves to the next channel, up to <see cref="ChannelSettings.MaxTries"/>
/// tries within the vendor's timeout (the call's deadline); once a vendor has answered, the call stays with it.
/// </summary>
public sealed class ChannelRouter : IStartupSeeder
{
    /// <summary>The vendors whose calls are routed over channels (admins may add channels for these).</summary>
    public static readonly FrozenDictionary<string, VendorDefinition> Routable =
        ((VendorDefinition[])[KnownVendors.Ark, KnownVendors.DashScope, KnownVendors.Zhipu, KnownVendors.DeepSeek, KnownVendors.Luyala, KnownVendors.Ai302,
            KnownVendors.Gemini, Kling.KlingClient.Definition, Jimeng.JimengClient.Definition, Suno.SunoClient.Definition])
        .ToFrozenDictionary(v => v.Name);

    private readonly IConfiguration _configuration;
    private readonly ChannelSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ChannelStore _store;
    private readonly IHttpClientFactory _httpClients;
    private readonly IhuiMetrics? _metrics;
    private readonly ILogger<ChannelRouter> _logger;
    private readonly FrozenDictionary<string, TimeSpan> _deadlines;
    private readonly Dictionary<string, (string Fingerprint, ChannelHealth Health)> _health = [];
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot _snapshot;
    private string? _version;

    private sealed record Snapshot(FrozenDictionary<string, Channel[]> ByVendor)
    {
        public Channel[] For(string vendor) => ByVendor.TryGetValue(vendor, out var list) ? list : [];
    }

    public ChannelRouter(IConfiguration configuration, ChannelSettings settings, ChannelStore store, IHttpClientFactory httpClients,
        ILogger<ChannelRouter> logger, TimeProvider clock, IhuiMetrics? metrics = null)
    {
        (_configuration, _settings, _store, _httpClients, _logger, _clock, _metrics) = (configuration, settings, store, httpClients, logger, clock, metrics);
        _deadlines = Routable.Values.ToFrozenDictionary(v => v.Name, v => new VendorEndpoint(v, configuration).Timeout);
        _snapshot = Build([]);
    }

    public ChannelSettings Settings => _settings;

    /// <summary>The channels of <paramref name="vendor"/>, highest priority first (disabled ones included).</summary>
    public IReadOnlyList<Channel> ChannelsOf(string vendor) => _snapshot.For(vendor);

    public Channel? Find(string id) => _snapshot.ByVendor.Values.SelectMany(l => l).FirstOrDefault(c => c.Id == id);

    public Task SeedAsync(IConfiguration configuration, CancellationToken ct) => ReloadAsync(ct);

    /// <summary>Rebuilds the snapshot from the table (after a change here, or when another instance changed it).</summary>
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        await _reload.WaitAsync(ct);
        try
        {
            var version = await _store.VersionAsync(ct);
            var rows = await _store.ListAsync(ct);
            _snapshot = Build(rows);
            _version = version;
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>Reloads when the table changed since the last load (one small query).</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (await _store.VersionAsync(ct) != _version) await ReloadAsync(ct);
    }

    private Snapshot Build(IReadOnlyList<ChannelRow> rows)
    {
        var byVendor = new Dictionary<string, List<Channel>>();
        var secrets = new List<string?>();
        var seen = new HashSet<string>();
        foreach (var vendor in Routable.Values)
        {
            var env = new VendorEndpoint(vendor, _configuration);
            if (!env.IsConfigured) continue;
            var id = ChannelNames.EnvironmentId(vendor.Name);
            var overrides = rows.FirstOrDefault(r => r.Id == id);
            var health = HealthFor(id, overrides?.TimeoutSeconds + "|" + overrides?.Models, vendor.Name + "/" + ChannelNames.Default);
            var timeout = overrides?.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(Math.Min(t, env.Timeout.TotalSeconds)) : env.Timeout;
            var endpoint = new VendorEndpoint(vendor, ChannelNames.Default, env.BaseUrl, timeout, env.Key, true, _metrics, health, env.ChatUrlOverride,
                env.Secret);
            Add(byVendor, new Channel
            {
                Id = id, Name = ChannelNames.Default, Vendor = vendor, Endpoint = endpoint, Health = health, FromEnvironment = true,
                Priority = overrides?.Priority ?? 0, Weight = overrides?.Weight ?? 1, Enabled = overrides?.Enabled ?? true,
                DisabledReason = overrides?.DisabledReason, Models = Models(overrides?.Models),
            });
            seen.Add(id);
        }
        foreach (var row in rows)
        {
            if (row.IsEnvironmentOverride || !seen.Add(row.Id) || !Routable.TryGetValue(row.Vendor, out var vendor) || row.BaseUrl is null) continue;
            var opened = row.Credential is null ? null : _store.Open(row.Credential);
            var (key, secret) = opened is null ? default : ChannelStore.Unpack(opened, vendor.UsesKeyPair) ?? default;
            secrets.Add(key);
            secrets.Add(secret);
            var health = HealthFor(row.Id, row.BaseUrl + "|" + row.Credential + "|" + row.TimeoutSeconds, vendor.Name + "/" + row.Name);
            var timeout = TimeSpan.FromSeconds(Math.Min(row.TimeoutSeconds ?? double.MaxValue, _deadlines[vendor.Name].TotalSeconds));
            if (!Uri.TryCreate(row.BaseUrl, UriKind.Absolute, out var baseUrl)) continue;
            var endpoint = new VendorEndpoint(vendor, row.Name, baseUrl, timeout, key, true, _metrics, health, secret: secret);
            Add(byVendor, new Channel
            {
                Id = row.Id, Name = row.Name, Vendor = vendor, Endpoint = endpoint, Health = health,
                Priority = row.Priority, Weight = Math.Max(1, row.Weight),
                Enabled = row.Enabled && key is not null,
                DisabledReason = key is null ? "the credential cannot be opened with this key ring; set it again" : row.DisabledReason,
                Models = Models(row.Models),
            });
        }
        SecretScrubber.Register(secrets);
        return new Snapshot(byVendor.ToFrozenDictionary(p => p.Key,
            p => p.Value.OrderByDescending(c => c.Priority).ThenBy(c => c.Name, StringComparer.Ordinal).ToArray()));

        static void Add(Dictionary<string, List<Channel>> map, Channel channel)
        {
            if (!map.TryGetValue(channel.Vendor.Name, out var list)) map[channel.Vendor.Name] = list = [];
            list.Add(channel);
        }
    }

    private static FrozenDictionary<string, string?>? Models(string? json) =>
        ChannelStore.ParseModels(json) is { } m ? m.ToFrozenDictionary(StringComparer.Ordinal) : null;

    /// <summary>The channel's breaker, kept across reloads unless what it judged (URL, key, timeout) changed.</summary>
    private ChannelHealth HealthFor(string id, string fingerprint, string label)
    {
        lock (_health)
        {
            if (_health.TryGetValue(id, out var known) && known.Fingerprint == fingerprint) return known.Health;
            var health = new ChannelHealth(_settings, _clock, label, _logger);
            _health[id] = (fingerprint, health);
            return health;
        }
    }

    /// <summary>
    /// Sends <paramref name="build"/>'s request (built per try, for the chosen channel and the model name it takes) and
    /// returns the first success with the channel that gave it. Failures that are the request's own (other 4xx) are
    /// thrown at once; after the last try, the last failure is thrown.
    /// </summary>
    /// <param name="only">Try this channel alone, enabled or not (an admin's test of it).</param>
    public Task<Routed> SendAsync(VendorDefinition vendor, string? model, Func<VendorEndpoint, string?, HttpRequestMessage> build,
        HttpCompletionOption completion, CancellationToken ct, Channel? only = null) =>
        RouteAsync(vendor, model, build, completion, null, ct, only);

    /// <summary>
    /// A whole JSON call: sends as <see cref="SendAsync"/> does, then <paramref name="read"/> reads the answer (buffered,
    /// nothing has reached the client yet). A reader that finds the channel, not the request, at fault (a vendor that
    /// says "rate limited" in a 200's body) throws <see cref="ChannelFailureException"/> and the call moves on as if
    /// the status had said so. Returns the value and the channel that gave it.
    /// </summary>
    public async Task<(T Value, Channel Channel)> CallAsync<T>(VendorDefinition vendor, string? model,
        Func<VendorEndpoint, string?, HttpRequestMessage> build, Func<Routed, Task<T>> read, CancellationToken ct, Channel? only = null)
    {
        (T, Channel)? result = default;
        await RouteAsync(vendor, model, build, HttpCompletionOption.ResponseContentRead, async routed =>
        {
            using var _ = routed.Response;
            result = (await read(routed), routed.Channel);
        }, ct, only);
        return result!.Value;
    }

    /// <summary>
    /// The channel a task was created on, for its polls (a vendor's task id exists only on the account that made it):
    /// the recorded channel, enabled or not, or the vendor's default channel for a task recorded without one.
    /// </summary>
    public Channel TaskChannel(VendorDefinition vendor, string? channelId)
    {
        var id = channelId ?? ChannelNames.EnvironmentId(vendor.Name);
        if (Find(id) is { } channel && channel.Vendor == vendor) return channel;
        if (channelId is null) new VendorEndpoint(vendor, _configuration).RequireKey(); // the 503 naming the variable to set
        throw ApiException.VendorError(vendor.Name, channelId is null
            ? "has no default channel for this task"
            : "the channel that accepted this task is no longer configured");
    }

    private async Task<Routed> RouteAsync(VendorDefinition vendor, string? model, Func<VendorEndpoint, string?, HttpRequestMessage> build,
        HttpCompletionOption completion, Func<Routed, Task>? read, CancellationToken ct, Channel? only)
    {
        var channels = only is null ? _snapshot.For(vendor.Name) : [only];
        var deadline = Stopwatch.GetTimestamp() + (long)(_deadlines.GetValueOrDefault(vendor.Name, TimeSpan.FromSeconds(vendor.DefaultTimeoutSeconds)).TotalSeconds * Stopwatch.Frequency);
        var http = _httpClients.CreateClient(vendor.HttpClientName);
        List<Channel>? tried = null;
        ApiException? last = null;
        for (var attempt = 0; attempt < _settings.MaxTries; attempt++)
        {
            var channel = only is null ? Pick(channels, model, tried) : attempt == 0 ? only : null;
            if (channel is null) break;
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (attempt > 0 && remaining <= TimeSpan.Zero) break;
            var endpoint = channel.Endpoint;
            var upstream = channel.Upstream(model);
            VendorTry result;
            try
            {
                using var request = build(endpoint, upstream);
                result = await VendorHttp.TrySendAsync(http, endpoint, request, completion,
                    attempt == 0 || remaining > endpoint.Timeout ? endpoint.Timeout : remaining, ct);
            }
            finally
            {
                // A probe whose caller went away says nothing of the channel: let the next call probe.
                channel.Health.Release();
            }
            if (result.Response is { } response)
            {
                var routed = new Routed(response, endpoint, upstream, channel);
                if (read is null)
                {
                    CallContext.Current?.AddTry(channel.Name, result.Outcome);
                    return routed;
                }
                try
                {
                    await read(routed);
                    CallContext.Current?.AddTry(channel.Name, result.Outcome);
                    return routed;
                }
                catch (ChannelFailureException failure)
                {
                    endpoint.ObserveError(failure.Outcome);
                    result = new VendorTry(null, failure.Outcome, failure.Error);
                }
                catch
                {
                    CallContext.Current?.AddTry(channel.Name, result.Outcome);
                    throw;
                }
            }
            CallContext.Current?.AddTry(channel.Name, result.Outcome);
            last = result.Error;
            if (!result.ChannelFailed) throw last!;
            if (result.Outcome == VendorOutcomes.Auth) await RefusedAsync(channel);
            if (only is not null) throw last!;
            (tried ??= []).Add(channel);
        }
        throw last ?? NoChannel(vendor, model, channels);
    }

    private Exception NoChannel(VendorDefinition vendor, string? model, Channel[] channels)
    {
        if (channels.Length == 0)
        {
            new VendorEndpoint(vendor, _configuration).RequireKey(); // the 503 naming the variable to set
            return new ApiException(503, "vendor_not_configured", $"{vendor.Name} has no channel");
        }
        return new ApiException(503, "vendor_not_configured",
            $"no enabled {vendor.Name} channel serves model '{model}'");
    }

    /// <summary>
    /// The next channel: among the enabled channels that serve <paramref name="model"/> and were not tried, the highest
    /// priority whose breaker lets them in, one at random by weight. When every such channel is out, the highest-priority
    /// one anyway (a vendor with one account keeps working as it did before channels; the breaker only reorders).
    /// </summary>
    public static Channel? Pick(Channel[] channels, string? model, List<Channel>? tried)
    {
        if (channels.Length == 0) return null;
        if (channels.Length == 1)
        {
            var only = channels[0];
            return tried is null && only.Enabled && only.Serves(model) ? only : null;
        }
        var now = channels[0].Health.Millis();
        for (var round = 0; round < 4; round++)
        {
            var best = int.MinValue;
            var total = 0;
            Channel? fallback = null;
            foreach (var c in channels)
            {
                if (!c.Enabled || !c.Serves(model) || (tried is not null && tried.Contains(c))) continue;
                fallback ??= c;
                if (!c.Health.Available(now)) continue;
                if (total > 0 && c.Priority < best) break;
                best = c.Priority;
                total += c.Weight;
            }
            if (total == 0) return fallback;
            var ticket = Random.Shared.Next(total);
            foreach (var c in channels)
            {
                if (c.Priority != best || !c.Enabled || !c.Serves(model) || (tried is not null && tried.Contains(c)) || !c.Health.Available(now)) continue;
                ticket -= c.Weight;
                if (ticket >= 0) continue;
                if (c.Health.TryClaim(now)) return c;
                break; // another call took this half-open channel's probe: choose again without it
            }
        }
        return null;
    }

    /// <summary>
    /// The vendor refused a channel's credentials: a channel an admin added is disabled (for every instance) and says
    /// why; the environment's channel stays (its key changes only with a restart) and its breaker counts the failure.
    /// </summary>
    private async Task RefusedAsync(Channel channel)
    {
        if (!channel.Enabled) return;
        _logger.LogWarning("Channel {Channel}: the vendor refused its credentials{Action}", channel.Vendor.Name + "/" + channel.Name,
            channel.FromEnvironment ? "" : "; the channel is disabled");
        if (channel.FromEnvironment) return;
        try
        {
            await _store.SetEnabledAsync(channel.Id, false, $"disabled: the vendor refused the credentials ({DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC)");
            await ReloadAsync();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Channel {Channel}: could not record that it is disabled", channel.Vendor.Name + "/" + channel.Name);
        }
    }
}

/// <summary>A routed answer: the response, the channel's endpoint that gave it, the model name that channel was sent, and the channel.</summary>
public readonly record struct Routed(HttpResponseMessage Response, VendorEndpoint Endpoint, string? Model, Channel Channel);

/// <summary>
/// Thrown by a <see cref="ChannelRouter.CallAsync{T}"/> reader when a 200's body says the channel failed (its rate
/// limit, its quota): <see cref="Outcome"/> as the vendor metrics name it, <see cref="Error"/> what the client gets
/// if no other channel answers.
/// </summary>
public sealed class ChannelFailureException(string outcome, ApiException error) : Exception(error.Message)
{
    public string Outcome { get; } = outcome;
    public ApiException Error { get; } = error;
}

/// <summary>Re-reads the channels table every <see cref="ChannelSettings.Refresh"/>, so an edit on one instance reaches the others.</summary>
public sealed class ChannelRefresher(ChannelRouter router, ILogger<ChannelRefresher> logger) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(router.Settings.Refresh);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await router.RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not refresh the channels");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
