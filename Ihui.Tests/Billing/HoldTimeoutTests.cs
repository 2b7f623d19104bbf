using Dapper;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Data;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Billing;

public sealed class HoldTimeoutDefaultTests
{
    private static TimeSpan HoldTimeout(params (string Key, string Value)[] settings) =>
        GatewaySettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build()).HoldTimeout;

    [Fact]
    public void The_default_hold_timeout_is_the_longest_vendor_timeout_plus_a_minute()
    {
        // The OpenAI-compatible vendors' 120 s default is the longest out of the box.
        Assert.Equal(TimeSpan.FromSeconds(180), HoldTimeout());
        Assert.Equal(TimeSpan.FromSeconds(660), HoldTimeout(("GEMINI_TIMEOUT_SECONDS", "600")));
        Assert.Equal(TimeSpan.FromSeconds(960), HoldTimeout(("KLING_TIMEOUT_SECONDS", "900"), ("DASHSCOPE_TIMEOUT_SECONDS", "5")));
        Assert.Equal(TimeSpan.FromSeconds(1060), HoldTimeout(("XFYUN_TIMEOUT_SECONDS", "1000")));
        Assert.Equal(TimeSpan.FromSeconds(30), HoldTimeout(("BILLING_HOLD_TIMEOUT_SECONDS", "30"), ("GEMINI_TIMEOUT_SECONDS", "600")));
    }
}

/// <summary>Holds that expire after 2 s, and a vendor stream that takes about three times as long.</summary>
public sealed class ShortHoldChatApp : ChatStreamApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() =>
        [new("BILLING_HOLD_TIMEOUT_SECONDS", "2"), new("DASHSCOPE_TIMEOUT_SECONDS", "30"), new("VENDOR_STREAM_IDLE_SECONDS", "20")];
}

public sealed class HoldRenewalTests(ShortHoldChatApp app) : IClassFixture<ShortHoldChatApp>, IDisposable
{
    public void Dispose() => app.DashScope.Reset();

    [Fact]
    public async Task A_stream_longer_than_the_hold_timeout_keeps_its_hold_from_the_sweeper_and_settles_once()
    {
        var user = await app.CreateUserAsync(50_000);
        app.DashScope.Reply = new string('长', 36); // 12 pieces
        app.DashScope.Mode = Fakes.FakeMode.Slow;
        app.DashScope.Delay = TimeSpan.FromMilliseconds(500);
        var ledger = app.Services.GetRequiredService<Ledger>();
        using var stop = new CancellationTokenSource();
        var swept = 0;
        var sweeper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                swept += await ledger.ReleaseExpiredAsync();
                await Task.Delay(100);
            }
        });

        var started = DateTime.UtcNow;
        await using (var ws = await app.ConnectAsync("/cozeZhsApi/ws/qwen/stream", user.Id))
        {
            await ws.ExpectAsync("connected");
            await ws.SendChatAsync("你好");
            await ws.ExpectDoneAsync();
        }
        var lasted = DateTime.UtcNow - started;
        await stop.CancelAsync();
        await sweeper;

        Assert.True(lasted > TimeSpan.FromSeconds(4), $"the stream lasted {lasted}, not past the 2 s hold timeout");
        Assert.Equal(0, swept);
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger WHERE user_id = @Id AND kind = 'hold_expired'", new { user.Id }));
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal("succeeded", call.Status);
        Assert.True(call.Charged > 0);
        Assert.Equal(50_000 - call.Charged, await app.BalanceAsync(user.Id));
        Assert.Equal(50_000 - call.Charged, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }
}
