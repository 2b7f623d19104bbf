using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Ihui.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Vendors;

/// <summary>
/// Gemini over several accounts: the environment's default channel (<see cref="IhuiApp.Gemini"/>) and channels on
/// <see cref="ChannelsApp.GeminiB"/> and <see cref="ChannelsApp.GeminiC"/>, each checking its own key in
/// <c>x-goog-api-key</c> as Google does. Calls through <c>/v1/chat/completions</c> (model <c>test-gemini</c>) and
/// the seed route <c>/gemini/3/generate</c>.
/// </summary>
public sealed class GeminiChannelTests(ChannelsApp app) : IClassFixture<ChannelsApp>, IAsyncLifetime
{
    private const string Route = "/v1/chat/completions";
    private const long Cost = 40; // 8 in + (5 + 7) out at 1000/1K each, × 2.0

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

    private static Features.Common.Vendors.Channels.ChannelRow Row(string name, FakeGemini fake, int priority = 0, int weight = 1, int? timeoutSeconds = null,
        string? models = null) => ChannelsApp.Row(name, fake, priority, weight, timeoutSeconds, models, vendor: "gemini");

    private Task TwoChannelsAsync(int? timeoutSeconds = null) => app.SetChannelsAsync(
        (Row("b", app.GeminiB, priority: 10, timeoutSeconds: timeoutSeconds), ChannelsApp.GeminiKeyB),
        (Row("c", app.GeminiC, priority: 5), ChannelsApp.GeminiKeyC));

    private static object Body(bool stream = false) => new
    {
        model = "test-gemini",
        messages = new object[] { new { role = "user", content = "你好！" } },
        stream,
    };

    [Fact]
    public async Task Gemini_is_routed_over_channels_with_each_channels_own_key_in_the_header()
    {
        var (userId, http) = await app.UserAsync();
        Assert.Equal("Gemini says hello.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));
        Assert.Equal("default=ok", Assert.Single(await app.CallsAsync(userId)).Channels);

        await app.SetChannelsAsync((Row("b", app.GeminiB, priority: 10, models: """{"gemini-2.5-flash":"gemini-2.5-flash-b"}"""), ChannelsApp.GeminiKeyB));
        Assert.Equal("Gemini B answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));

        var sent = Assert.Single(app.GeminiB.Received);
        Assert.Equal("/v1beta/models/gemini-2.5-flash-b:generateContent", sent.Path);
        Assert.Equal(ChannelsApp.GeminiKeyB, sent.Headers["x-goog-api-key"]);
        Assert.DoesNotContain("key=", sent.Query);
        Assert.Single(app.Gemini.Received);
        Assert.Contains(await app.CallsAsync(userId), c => c.Channels == "b=ok");
        await app.AssertChargedOnceAsync(userId, 1_000_000, Cost, 2);
    }

    [Fact]
    public async Task The_highest_priority_gemini_channels_share_the_calls_by_weight()
    {
        await app.SetChannelsAsync((Row("b", app.GeminiB, priority: 10, weight: 3), ChannelsApp.GeminiKeyB),
            (Row("c", app.GeminiC, priority: 10, weight: 1), ChannelsApp.GeminiKeyC));
        var (userId, http) = await app.UserAsync();

        const int calls = 160;
        for (var batch = 0; batch < calls / 8; batch++)
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body()))));

        Assert.Empty(app.Gemini.Received);
        var (b, c) = (app.GeminiB.Received.Length, app.GeminiC.Received.Length);
        Assert.Equal(calls, b + c);
        // Binomial(160, 0.75): sd 5.5 around 120; the bounds are 4.5 sd away.
        Assert.InRange(b, 95, 145);
        await app.AssertChargedOnceAsync(userId, 1_000_000, Cost, calls);
    }

    public static TheoryData<string, string> FailureKinds => new()
    {
        { "500", "server_error" }, { "503", "server_error" }, { "429", "rate_limited" }, { "504", "timeout" }, { "connect", "unreachable" },
        { "timeout", "timeout" }, { "bad-key", "auth" },
    };

    [Theory]
    [MemberData(nameof(FailureKinds))]
    public async Task A_failing_gemini_channel_hands_the_call_to_the_next_and_the_call_is_charged_once(string failure, string outcome)
    {
        var b = Row("b", app.GeminiB, priority: 10, timeoutSeconds: 1);
        if (failure == "connect") b = b with { BaseUrl = "http://127.0.0.1:1/v1beta" };
        await app.SetChannelsAsync((b, failure == "bad-key" ? "AIza-wrong-key-for-b-0123456789" : ChannelsApp.GeminiKeyB),
            (Row("c", app.GeminiC, priority: 5), ChannelsApp.GeminiKeyC));
        switch (failure)
        {
            case "timeout":
                app.GeminiB.Mode = FakeMode.Hang;
                break;
            case "connect" or "bad-key":
                break;
            default:
                (app.GeminiB.Mode, app.GeminiB.FailStatus) = (FakeMode.Fail, int.Parse(failure));
                break;
        }
        var (userId, http) = await app.UserAsync();

        Assert.Equal("Gemini C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));

        Assert.Equal(failure == "connect" ? 0 : 1, app.GeminiB.Received.Length);
        Assert.Single(app.GeminiC.Received);
        Assert.Empty(app.Gemini.Received);
        var call = Assert.Single(await app.CallsAsync(userId));
        Assert.Equal(("succeeded", $"b={outcome},c=ok"), (call.Status, call.Channels));
        await app.AssertChargedOnceAsync(userId, 1_000_000, Cost, 1);
    }

    [Fact]
    public async Task Geminis_API_key_not_valid_disables_the_channel_and_says_so_without_the_key()
    {
        const string wrong = "AIza-wrong-key-for-b-0123456789";
        await app.SetChannelsAsync((Row("b", app.GeminiB, priority: 10), wrong), (Row("c", app.GeminiC, priority: 5), ChannelsApp.GeminiKeyC));
        var logs = app.Logs.Lines.Count;
        var (userId, http) = await app.UserAsync();

        Assert.Equal("Gemini C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));
        Assert.Equal("Gemini C answers.", await ChannelsApp.ContentAsync(await http.PostAsJsonAsync(Route, Body())));

        Assert.Single(app.GeminiB.Received); // Google's 400 API_KEY_INVALID disabled it: the second call went straight to C
        var b = Assert.Single(app.Router.ChannelsOf("gemini"), c => c.Name == "b");
        Assert.False(b.Enabled);
        Assert.Contains("refused the credentials", b.DisabledReason);
        Assert.Contains(app.Logs.Lines.Skip(logs), l => l.Contains("refused its credentials") && l.Contains("gemini/b"));
        Assert.Equal(["b=auth,c=ok", "c=ok"], (await app.CallsAsync(userId)).Select(c => c.Channels).Order());
        Leaks.AssertClean(await Leaks.EverythingAsync(app, userId, logs, []), wrong, ChannelsApp.GeminiKeyB, ChannelsApp.GeminiKeyC);
    }

    [Fact]
    public async Task A_prompt_gemini_refuses_as_bad_is_not_retried()
    {
        await TwoChannelsAsync();
        (app.GeminiB.Mode, app.GeminiB.FailStatus) = (FakeMode.Fail, 400);
        var (userId, http) = await app.UserAsync();

        var response = await http.PostAsJsonAsync(Route, Body());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(app.GeminiB.Received);
        Assert.Empty(app.GeminiC.Received);
        Assert.Equal("b=client_error", Assert.Single(await app.CallsAsync(userId)).Channels);
        Assert.True(Assert.Single(app.Router.ChannelsOf("gemini"), c => c.Name == "b").Enabled);
        Assert.Equal(1_000_000, await app.BalanceAsync(userId));
    }

    [Fact]
    public async Task A_stream_fails_over_before_its_first_byte_but_not_once_a_channel_has_answered()
    {
        await TwoChannelsAsync();
        var (userId, http) = await app.UserAsync();

        (app.GeminiB.Mode, app.GeminiB.FailStatus) = (FakeMode.Fail, 503);
        var failedOver = await http.PostAsJsonAsync(Route, Body(stream: true));
        var text = await failedOver.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, failedOver.StatusCode);
        Assert.Contains("Gemini C answers.", text);
        Assert.Contains("[DONE]", text);

        // B answers (200) with a body that is not Gemini's: the call stays with B, no second try, nothing charged.
        app.ResetFakes();
        app.GeminiB.Mode = FakeMode.Malformed;
        var garbled = await http.PostAsJsonAsync(Route, Body(stream: true));
        var garbledText = await garbled.Content.ReadAsStringAsync();
        Assert.DoesNotContain("[DONE]", garbledText);
        Assert.Contains("malformed", garbledText);
        Assert.Single(app.GeminiB.Received);
        Assert.Empty(app.GeminiC.Received);
        Assert.Empty(app.Gemini.Received);

        var calls = await app.CallsAsync(userId);
        Assert.Contains(calls, c => c.Channels == "b=server_error,c=ok" && c.Status == "succeeded");
        Assert.Contains(calls, c => c.Channels == "b=ok" && c.Status == "failed");
        await app.AssertChargedOnceAsync(userId, 1_000_000, Cost, 1);
    }

    [Fact]
    public async Task When_every_gemini_channel_fails_nothing_is_charged()
    {
        await TwoChannelsAsync();
        (app.GeminiB.Mode, app.GeminiB.FailStatus) = (FakeMode.Fail, 500);
        (app.GeminiC.Mode, app.GeminiC.FailStatus) = (FakeMode.Fail, 429);
        (app.Gemini.Mode, app.Gemini.FailStatus) = (FakeMode.Fail, 502);
        var (userId, http) = await app.UserAsync();

        var response = await http.PostAsJsonAsync(Route, Body());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("b=server_error,c=rate_limited,default=server_error", Assert.Single(await app.CallsAsync(userId)).Channels);
        Assert.Equal(1_000_000, await app.BalanceAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Fact]
    public async Task The_seed_route_fails_over_too_and_is_charged_once()
    {
        await TwoChannelsAsync();
        (app.GeminiB.Mode, app.GeminiB.FailStatus) = (FakeMode.Fail, 503);
        var user = await app.CreateUserAsync(100_000);

        var response = await app.CreateClient().PostAsJsonAsync("/gemini/3/generate", new { prompt = "写一句诗", user_uuid = user.Id });

        var data = (await IhuiApp.JsonAsync(response)).GetProperty("data");
        Assert.Equal("Gemini C answers.", data.GetProperty("content").GetString());
        Assert.Equal(40, data.GetProperty("consume_token").GetInt64());
        Assert.Equal("/v1beta/models/gemini-3-pro-preview:generateContent", Assert.Single(app.GeminiC.Received).Path);
        Assert.Equal("b=server_error,c=ok", Assert.Single(await app.CallsAsync(user.Id)).Channels);
        await app.AssertChargedOnceAsync(user.Id, 100_000, Cost, 1);
    }

    [Fact]
    public async Task An_admin_creates_and_tests_a_gemini_channel_with_a_real_generate_call()
    {
        var created = await app.AdminAsync(HttpMethod.Post, "/admin/channels", new
        {
            vendor = "gemini", name = "backup", base_url = app.GeminiB.BaseUrl + "/v1beta", api_key = ChannelsApp.GeminiKeyB, priority = 10,
            models = new Dictionary<string, string?> { ["gemini-2.5-flash"] = null },
        });
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.IsSuccessStatusCode, text);
        var channel = JsonDocument.Parse(text).RootElement.GetProperty("data");
        Assert.Equal("gemini", channel.GetProperty("vendor").GetString());
        Assert.Equal("****" + ChannelsApp.GeminiKeyB[^4..], channel.GetProperty("api_key").GetString());
        Assert.DoesNotContain(ChannelsApp.GeminiKeyB, text);

        var tested = JsonDocument.Parse(await (await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{channel.GetProperty("id").GetString()}/test", new { }))
            .Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        Assert.True(tested.GetProperty("ok").GetBoolean(), tested.ToString());
        Assert.Equal("Gemini B answers.", tested.GetProperty("reply").GetString());
        var ping = Assert.Single(app.GeminiB.Received);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", ping.Path);
        Assert.Contains(app.Router.ChannelsOf("gemini"), c => c.Name == "backup" && c.Enabled);

        var list = await (await app.AdminAsync(HttpMethod.Get, "/admin/channels")).Content.ReadAsStringAsync();
        Assert.Contains("\"env-gemini\"", list);
        Assert.DoesNotContain(IhuiApp.GeminiKey, list);
        Assert.DoesNotContain(ChannelsApp.GeminiKeyB, list);
    }
}
