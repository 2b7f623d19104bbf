using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Vendors.Channels;
using Ihui.Tests.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Infrastructure;

/// <summary>
/// The OpenAI API host with three accounts of one vendor (DeepSeek): the environment's default channel on
/// <see cref="OpenAiApiApp.DeepSeek"/>, and two more fakes, <see cref="B"/> and <see cref="C"/>, each checking its own
/// key, for channels a test adds. The breaker opens after 3 failures and cools down for 1 s.
/// </summary>
public class ChannelsApp : OpenAiApiApp
{
    public const string KeyB = "sk-test-channel-b-0123456789";
    public const string KeyC = "sk-test-channel-c-0123456789";
    public FakeOpenAiVendor B { get; } = new("/chat/completions", KeyB) { Reply = "B answers." };
    public FakeOpenAiVendor C { get; } = new("/chat/completions", KeyC) { Reply = "C answers." };

    public const string GeminiKeyB = "AIza-test-gemini-b-0123456789";
    public const string GeminiKeyC = "AIza-test-gemini-c-0123456789";
    /// <summary>Two more Gemini accounts (the environment's is <see cref="IhuiApp.Gemini"/>); their base URLs end in <c>/v1beta</c>.</summary>
    public FakeGemini GeminiB { get; } = new(GeminiKeyB) { Reply = "Gemini B answers." };
    public FakeGemini GeminiC { get; } = new(GeminiKeyC) { Reply = "Gemini C answers." };

    /// <summary>A user with <paramref name="balance"/> and an API key, and a client that sends the key.</summary>
    public async Task<(string UserId, HttpClient Http)> UserAsync(long balance = 1_000_000)
    {
        var user = await CreateUserAsync(balance);
        var (_, key) = await CreateKeyAsync(user.Id);
        return (user.Id, KeyClient(key));
    }

    /// <summary>The answer's text, after asserting it succeeded.</summary>
    public static async Task<string> ContentAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    /// <summary>However many channels were tried, each of <paramref name="calls"/> calls was charged once, at <paramref name="cost"/>.</summary>
    public async Task AssertChargedOnceAsync(string userId, long balanceBefore, long cost, int calls = 1)
    {
        Assert.Equal(balanceBefore - calls * cost, await BalanceAsync(userId));
        Assert.Equal(await BalanceAsync(userId), await LedgerSumAsync(userId));
        Assert.Equal(0, await HoldCountAsync(userId));
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(calls, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger WHERE user_id = @userId AND kind = 'charge'", new { userId }));
    }

    public override async Task InitializeAsync()
    {
        await B.StartAsync();
        await C.StartAsync();
        await GeminiB.StartAsync();
        await GeminiC.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => new Dictionary<string, string?>
    {
        ["DEEPSEEK_TIMEOUT_SECONDS"] = "10",
        ["GEMINI_TIMEOUT_SECONDS"] = "10",
    }.Concat(ChannelTesting.Settings);

    public const string AdminPassword = ChannelTesting.AdminPassword;

    /// <summary>Sends <paramref name="body"/> (an object as JSON, a string as it is) with the admin's token (or <paramref name="token"/>).</summary>
    public Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null, string? token = null) =>
        ChannelTesting.AdminAsync(this, method, path, body, token);

    public Task<string> AdminTokenAsync() => ChannelTesting.AdminTokenAsync(this);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await B.DisposeAsync();
        await C.DisposeAsync();
        await GeminiB.DisposeAsync();
        await GeminiC.DisposeAsync();
    }

    public ChannelRouter Router => Services.GetRequiredService<ChannelRouter>();

    /// <summary>The host's clock; a breaker test stops its monotonic time and steps it, so a slow machine cannot outrun a cool-down.</summary>
    public SteppedClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public void ResetFakes()
    {
        foreach (var fake in (FakeVendor[])[DeepSeek, B, C, Gemini, GeminiB, GeminiC]) fake.Reset();
    }

    /// <summary>Replaces every channel row with <paramref name="rows"/> (their keys sealed) and reloads routing.</summary>
    public Task SetChannelsAsync(params (ChannelRow Row, string? Key)[] rows) => ChannelTesting.SetChannelsAsync(this, rows);

    public static ChannelRow Row(string name, FakeVendor fake, int priority = 0, int weight = 1, int? timeoutSeconds = null, string? models = null,
        string vendor = "deepseek") => new()
    {
        Id = Guid.NewGuid().ToString(), Vendor = vendor, Name = name, BaseUrl = fake.BaseUrl + (fake is FakeGemini ? "/v1beta" : ""),
        Priority = priority, Weight = weight,
        TimeoutSeconds = timeoutSeconds, Models = models,
    };
}

/// <summary>
/// The system clock, except that its monotonic timestamp (what the channel breaker reads) can be stopped and stepped.
/// Wall-clock time (<see cref="TimeProvider.GetUtcNow"/>) and timers are the system's.
/// </summary>
public sealed class SteppedClock : TimeProvider
{
    private long _stoppedAt; // 0: running

    public override long GetTimestamp() => Volatile.Read(ref _stoppedAt) is not 0 and var stopped ? stopped : base.GetTimestamp();

    /// <summary>Stops the timestamp where it is; <see cref="IDisposable.Dispose"/> lets it run on again.</summary>
    public IDisposable Stop()
    {
        Volatile.Write(ref _stoppedAt, base.GetTimestamp());
        return new Restart(this);
    }

    public void Advance(TimeSpan by)
    {
        if (_stoppedAt == 0) throw new InvalidOperationException("Stop the clock first");
        Volatile.Write(ref _stoppedAt, _stoppedAt + (long)(by.TotalSeconds * TimestampFrequency));
    }

    private sealed class Restart(SteppedClock clock) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref clock._stoppedAt, 0);
    }
}
