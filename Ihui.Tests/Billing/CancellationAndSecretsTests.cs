using System.Net.Http.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Billing;

/// <summary>Logs everything, down to Verbose, so the secret check sees every line the host can write.</summary>
public sealed class VerboseApp : IhuiApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [new("Serilog:MinimumLevel:Default", "Verbose"), new("Serilog:MinimumLevel:Override:Microsoft", "Verbose"), new("Serilog:MinimumLevel:Override:System", "Verbose")];
}

public sealed class CancellationAndSecretsTests(VerboseApp app) : IClassFixture<VerboseApp>, IDisposable
{
    public void Dispose() => app.DashScope.Reset();

    [Fact]
    public async Task A_client_that_gives_up_before_the_answer_pays_nothing_and_the_call_is_logged_cancelled()
    {
        var user = await app.CreateUserAsync(50_000);
        app.DashScope.Mode = FakeMode.Slow;
        app.DashScope.Delay = TimeSpan.FromSeconds(30);
        var before = app.DashScope.Requests.Count;
        using var cts = new CancellationTokenSource();

        var request = app.CreateClient().PostAsJsonAsync("/cozeZhsApi/dashscope/vision/chat",
            new { prompt = "slow", image_urls = new[] { "https://e.com/a.png" }, user_uuid = user.Id }, cts.Token);
        // Give up only once the vendor has the request: the hold is taken and the vendor is working.
        for (var i = 0; i < 100 && app.DashScope.Requests.Count == before; i++) await Task.Delay(50);
        Assert.Equal(before + 1, app.DashScope.Requests.Count);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        var call = await WaitForCallAsync(user.Id);
        Assert.Equal("cancelled", call.Status);
        Assert.Equal(0, call.Charged);
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
        Assert.Equal(50_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }

    [Fact]
    public async Task Vendor_keys_never_appear_in_logs_responses_or_the_call_log()
    {
        var user = await app.CreateUserAsync(50_000);
        var http = app.CreateClient();
        var bodies = new List<string>();
        foreach (var mode in new[] { FakeMode.Normal, FakeMode.Fail, FakeMode.Malformed, FakeMode.Hang })
        {
            app.DashScope.Mode = mode;
            var r = await http.PostAsJsonAsync("/cozeZhsApi/dashscope/vision/chat", new { prompt = "hi", user_uuid = user.Id });
            bodies.Add(await r.Content.ReadAsStringAsync());
            var g = await http.PostAsJsonAsync("/gemini/3/generate", new { prompt = "hi", user_uuid = user.Id });
            bodies.Add(await g.Content.ReadAsStringAsync());
        }

        var calls = await app.CallsAsync(user.Id);
        Assert.Equal(8, calls.Count);
        var everything = string.Join("\n", app.Logs.Lines) + string.Join("\n", bodies) + string.Join("\n", calls.Select(c => c.ErrorMessage));
        Assert.Contains("/cozeZhsApi/dashscope/vision/chat", everything); // the logs were captured at all
        Assert.DoesNotContain(IhuiApp.DashScopeKey, everything);
        Assert.DoesNotContain(IhuiApp.GeminiKey, everything);
    }

    private async Task<CallRowView> WaitForCallAsync(string userId)
    {
        for (var i = 0; i < 50; i++)
        {
            if ((await app.CallsAsync(userId)).SingleOrDefault() is { } call) return call;
            await Task.Delay(100);
        }
        throw new TimeoutException("no call row");
    }
}
