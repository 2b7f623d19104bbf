using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.Channels;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Ihui.Tests.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ihui.Tests.Vendors;

/// <summary>
/// Routing over several accounts of one vendor, through <c>/v1/chat/completions</c> (model <c>test-deepseek</c>):
/// the environment's default channel (fake A), and channels B and C that tests add with their own fakes and keys.
/// </summary>
public sealed class ChannelRoutingTests(ChannelsApp app) : IClassFixture<ChannelsApp>, IAsyncLifetime
{
    private const string Route = "/v1/chat/completions";
    private const long Cost = 84; // (30 + 12) tokens at 1000/1K each, × 2.0

    public Task InitializeAsync()
    {
        app.ResetFakes();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        app.ResetFakes();
        await app.SetChannelsAsync();
    }

    private static object Body(bool stream = false) => new
    {
        model = "test-deepseek",
        messages = new object[] { new { role = "user", content = "你好！" } },
        stream,
    };

    [Fact]
    public async Task With_only_the_environment_channel_calls_go_to_it_and_the_call_log_names_it()
    {
        var (userId, http) = await app.UserAsync();

        Assert.Equal("你好！我是通义千问。", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));

        Assert.Single(app.DeepSeek.Received);
        Assert.Equal("default=ok", Assert.Single(await app.CallsAsync(userId)).Channels);
    }

    [Fact]
    public async Task The_highest_priority_channels_share_the_calls_by_weight()
    {
        await app.SetChannelsAsync((ChannelsApp.Row("b", app.B, priority: 10, weight: 3), ChannelsApp.KeyB),
            (ChannelsApp.Row("c", app.C, priority: 10, weight: 1), ChannelsApp.KeyC));
        var (_, http) = await app.UserAsync();

        const int calls = 240;
        for (var batch = 0; batch < calls / 8; batch++)
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body()))));

        Assert.Empty(app.DeepSeek.Received); // priority 0: never while a priority-10 channel is healthy
        var (b, c) = (app.B.Received.Length, app.C.Received.Length);
        Assert.Equal(calls, b + c);
        // Binomial(240, 0.75): sd 6.7 around 180; the bounds are 4.4 sd away.
        Assert.InRange(b, 150, 210);
    }

    [Fact]
    public void Picks_follow_the_weights_closely_over_many_draws()
    {
        var settings = ChannelSettings.From(new ConfigurationBuilder().Build());
        Channel Make(string name, int priority, int weight) => new()
        {
            Id = name, Name = name, Vendor = KnownVendors.DeepSeek, Priority = priority, Weight = weight,
            Health = new ChannelHealth(settings, TimeProvider.System, name, NullLogger.Instance),
            Endpoint = new VendorEndpoint(KnownVendors.DeepSeek, name, new Uri("http://127.0.0.1/"), TimeSpan.FromSeconds(1), "k", true, null),
        };
        Channel[] channels = [Make("x", 5, 1), Make("y", 5, 2), Make("z", 5, 7), Make("low", 1, 100)];

        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 100_000; i++)
        {
            var name = ChannelRouter.Pick(channels, "deepseek-chat", null)!.Name;
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        Assert.False(counts.ContainsKey("low"));
        Assert.InRange(counts["x"], 9_000, 11_000);
        Assert.InRange(counts["y"], 19_000, 21_000);
        Assert.InRange(counts["z"], 69_000, 71_000);
        // Tried channels are skipped, then the lower priority follows.
        Assert.Equal("low", ChannelRouter.Pick(channels, "deepseek-chat", [.. channels[..3]])!.Name);
        Assert.Null(ChannelRouter.Pick(channels, "deepseek-chat", [.. channels]));
    }

    public static TheoryData<string, string> FailureKinds => new()
    {
        { "500", "server_error" }, { "503", "server_error" }, { "429", "rate_limited" }, { "connect", "unreachable" }, { "timeout", "timeout" },
        { "504", "timeout" },
    };

    [Theory]
    [MemberData(nameof(FailureKinds))]
    public async Task A_failing_channel_hands_the_call_to_the_next_and_the_call_is_charged_once(string failure, string outcome)
    {
        var b = ChannelsApp.Row("b", app.B, priority: 10, timeoutSeconds: 1);
        if (failure == "connect") b = b with { BaseUrl = "http://127.0.0.1:1" };
        await app.SetChannelsAsync((b, ChannelsApp.KeyB), (ChannelsApp.Row("c", app.C, priority: 5), ChannelsApp.KeyC));
        switch (failure)
        {
            case "timeout":
                app.B.Mode = FakeMode.Hang;
                break;
            case "connect":
                break;
            default:
                (app.B.Mode, app.B.FailStatus) = (FakeMode.Fail, int.Parse(failure));
                break;
        }
        var (userId, http) = await app.UserAsync();

        Assert.Equal("C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));

        Assert.Equal(failure == "connect" ? 0 : 1, app.B.Received.Length);
        Assert.Single(app.C.Received);
        Assert.Empty(app.DeepSeek.Received);
        var call = Assert.Single(await app.CallsAsync(userId));
        Assert.Equal(("succeeded", $"b={outcome},c=ok"), (call.Status, call.Channels));
        await app.AssertChargedOnceAsync(userId, 1_000_000, Cost, 1);
    }

    [Fact]
    public async Task A_request_the_vendor_refuses_as_bad_is_not_retried()
    {
        await app.SetChannelsAsync((ChannelsApp.Row("b", app.B, priority: 10), ChannelsApp.KeyB), (ChannelsApp.Row("c", app.C, priority: 5), ChannelsApp.KeyC));
        (app.B.Mode, app.B.FailStatus) = (FakeMode.Fail, 400);
        var (userId, http) = await app.UserAsync();

        var response = await http.PostAsJsonAsync(Route, Body());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(app.B.Received);
        Assert.Empty(app.C.Received);
        Assert.Equal("b=client_error", Assert.Single(await app.CallsAsync(userId)).Channels);
        Assert.Equal(1_000_000, await app.BalanceAsync(userId));
    }

    [Fact]
    public async Task When_every_channel_fails_the_last_error_is_the_answer_and_nothing_is_charged()
    {
        await app.SetChannelsAsync((ChannelsApp.Row("b", app.B, priority: 10), ChannelsApp.KeyB), (ChannelsApp.Row("c", app.C, priority: 5), ChannelsApp.KeyC));
        (app.B.Mode, app.B.FailStatus) = (FakeMode.Fail, 500);
        (app.C.Mode, app.C.FailStatus) = (FakeMode.Fail, 503);
        (app.DeepSeek.Mode, app.DeepSeek.FailStatus) = (FakeMode.Fail, 502);
        var (userId, http) = await app.UserAsync();

        var response = await http.PostAsJsonAsync(Route, Body());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("HTTP 502", await response.Content.ReadAsStringAsync());
        Assert.Equal("b=server_error,c=server_error,default=server_error", Assert.Single(await app.CallsAsync(userId)).Channels);
        Assert.Equal(1_000_000, await app.BalanceAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Fact]
    public async Task A_stream_fails_over_before_its_first_byte_but_never_after()
    {
        await app.SetChannelsAsync((ChannelsApp.Row("b", app.B, priority: 10), ChannelsApp.KeyB), (ChannelsApp.Row("c", app.C, priority: 5), ChannelsApp.KeyC));
        var (userId, http) = await app.UserAsync();

        (app.B.Mode, app.B.FailStatus) = (FakeMode.Fail, 503);
        var failedOver = await (await http.PostAsJsonAsync(Route, Body(stream: true))).Content.ReadAsStringAsync();
        Assert.Contains("[DONE]", failedOver);
        Assert.Contains("C a", failedOver);
        Assert.Single(app.C.Received);

        app.ResetFakes();
        app.B.Mode = FakeMode.CutStream;
        var cut = await http.PostAsJsonAsync(Route, Body(stream: true));
        var text = await cut.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
        Assert.Contains("B a", text); // B's first piece reached the client
        Assert.DoesNotContain("[DONE]", text);
        Assert.Contains("vendor_error", text);
        Assert.Single(app.B.Received);
        Assert.Empty(app.C.Received);
        Assert.Empty(app.DeepSeek.Received);

        var calls = await app.CallsAsync(userId);
        Assert.Contains(calls, c => c.Channels == "b=server_error,c=ok" && c.Status == "succeeded");
        Assert.Contains(calls, c => c.Channels == "b=ok" && c.Status == "failed");
        Assert.Equal(await app.BalanceAsync(userId), await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Fact]
    public async Task The_breaker_takes_a_failing_channel_out_then_probes_it_back_in()
    {
        await app.SetChannelsAsync((ChannelsApp.Row("b", app.B, priority: 10), ChannelsApp.KeyB), (ChannelsApp.Row("c", app.C, priority: 5), ChannelsApp.KeyC));
        (app.B.Mode, app.B.FailStatus) = (FakeMode.Fail, 500);
        var (userId, http) = await app.UserAsync();
        using var _ = app.Clock.Stop();

        for (var i = 0; i < 3; i++) Assert.Equal("C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));
        Assert.Equal(3, app.B.Received.Length);
        // Open: B is skipped.
        for (var i = 0; i < 3; i++) Assert.Equal("C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));
        Assert.Equal(3, app.B.Received.Length);

        // After the cool-down one call probes B; still failing, it is out again at once.
        app.Clock.Advance(TimeSpan.FromSeconds(1.2));
        Assert.Equal("C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));
        Assert.Equal(4, app.B.Received.Length);
        Assert.Equal("C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));
        Assert.Equal(4, app.B.Received.Length);

        // Healthy again: the next probe closes the breaker and B takes the calls back.
        app.B.Mode = FakeMode.Normal;
        app.Clock.Advance(TimeSpan.FromSeconds(1.2));
        for (var i = 0; i < 3; i++) Assert.Equal("B answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));
        Assert.Equal(7, app.B.Received.Length);
        Assert.Equal(8, app.C.Received.Length);
        await app.AssertChargedOnceAsync(userId, 1_000_000, Cost, 11);
    }

    [Fact]
    public async Task Refused_credentials_disable_the_channel_and_say_so_without_the_key()
    {
        await app.SetChannelsAsync((ChannelsApp.Row("b", app.B, priority: 10), "sk-wrong-key-for-b-0123456789"), (ChannelsApp.Row("c", app.C, priority: 5), ChannelsApp.KeyC));
        var logs = app.Logs.Lines.Count;
        var (userId, http) = await app.UserAsync();

        Assert.Equal("C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));
        Assert.Equal("C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));

        Assert.Single(app.B.Received); // disabled after the first 401: the second call went straight to C
        var b = Assert.Single(app.Router.ChannelsOf("deepseek"), c => c.Name == "b");
        Assert.False(b.Enabled);
        Assert.Contains("refused the credentials", b.DisabledReason);
        Assert.Contains(app.Logs.Lines.Skip(logs), l => l.Contains("refused its credentials") && l.Contains("deepseek/b"));
        var calls = await app.CallsAsync(userId);
        Assert.Equal(["b=auth,c=ok", "c=ok"], calls.Select(c => c.Channels).Order());
        Leaks.AssertClean(await Leaks.EverythingAsync(app, userId, logs, []), "sk-wrong-key-for-b-0123456789", ChannelsApp.KeyB, ChannelsApp.KeyC);
    }

    [Fact]
    public async Task A_channel_serves_only_its_models_under_its_own_model_names()
    {
        await app.SetChannelsAsync(
            (ChannelsApp.Row("b", app.B, priority: 10, models: """{"deepseek-chat":"ds-chat-on-b"}"""), ChannelsApp.KeyB),
            (ChannelsApp.Row("c", app.C, priority: 10, models: """{"deepseek-reasoner":null}"""), ChannelsApp.KeyC));
        var (_, http) = await app.UserAsync();

        for (var i = 0; i < 5; i++) Assert.Equal("B answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));

        Assert.Empty(app.C.Received);
        Assert.All(app.B.Received, r => Assert.Equal("ds-chat-on-b", JsonDocument.Parse(r.Body).RootElement.GetProperty("model").GetString()));
    }

    [Fact]
    public async Task Concurrent_calls_that_fail_over_are_each_charged_once()
    {
        await app.SetChannelsAsync((ChannelsApp.Row("b", app.B, priority: 10), ChannelsApp.KeyB), (ChannelsApp.Row("c", app.C, priority: 5), ChannelsApp.KeyC));
        (app.B.Mode, app.B.FailStatus) = (FakeMode.Fail, 502);
        var (userId, http) = await app.UserAsync(balance: 100_000);

        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ => await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body()))));

        Assert.All(answers, a => Assert.Equal("C answers.", a));
        await app.AssertChargedOnceAsync(userId, 100_000, Cost, 24);
    }
}
