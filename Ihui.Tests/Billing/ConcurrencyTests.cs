using System.Net;
using System.Net.Http.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Billing;

/// <summary>
/// A price of 5 per call × 2.0 makes every call cost exactly its hold (10 tokens), so a balance of 100
/// affords exactly 10 calls however the 50 requests interleave.
/// </summary>
public sealed class ConcurrencyTests(IhuiApp app) : IClassFixture<IhuiApp>, IDisposable
{
    public void Dispose() => app.Gemini.Reset();

    [Fact]
    public async Task Fifty_concurrent_requests_against_a_balance_for_ten_let_exactly_ten_through()
    {
        var user = await app.CreateUserAsync(100);
        var bystander = await app.CreateUserAsync(1_000);
        app.Gemini.Mode = FakeMode.Slow;
        app.Gemini.Delay = TimeSpan.FromMilliseconds(200);
        var before = app.Gemini.Requests.Count;
        var http = app.CreateClient();

        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 50).Select(async i =>
        {
            await start.WaitAsync();
            return await http.PostAsJsonAsync("/gemini/3/generate", new { prompt = $"p{i}", model = "gemini-per-call-test", user_uuid = user.Id });
        }).ToList();
        start.Release(50);
        var responses = await Task.WhenAll(calls);

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
        Assert.Equal(10, app.Gemini.Requests.Count - before);
        Assert.Equal(0, await app.BalanceAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
        foreach (var u in new[] { user, bystander })
            Assert.Equal(await app.BalanceAsync(u.Id), await app.LedgerSumAsync(u.Id));
        Assert.Equal(1_000, await app.BalanceAsync(bystander.Id));

        var rows = await app.CallsAsync(user.Id);
        Assert.Equal(50, rows.Count);
        Assert.Equal(10, rows.Count(r => r.Status == "succeeded" && r.Charged == 10));
        Assert.Equal(40, rows.Count(r => r.Status == "failed" && r.ErrorCode == 402 && r.Charged == 0));
    }

    [Fact]
    public async Task Concurrent_failures_and_successes_keep_balance_equal_to_the_ledger()
    {
        var user = await app.CreateUserAsync(10_000);
        var http = app.CreateClient();
        app.DashScope.Mode = FakeMode.Normal;

        var tasks = Enumerable.Range(0, 30).Select(i => i % 3 == 0
            ? http.PostAsJsonAsync("/cozeZhsApi/dashscope/vision/chat", new { prompt = "x", image_urls = new[] { "not-a-url" }, user_uuid = user.Id })
            : http.PostAsJsonAsync("/gemini/3/generate", new { prompt = $"p{i}", model = "gemini-per-call-test", user_uuid = user.Id }));
        var responses = await Task.WhenAll(tasks);

        Assert.Equal(20, responses.Count(r => r.IsSuccessStatusCode));
        Assert.Equal(10_000 - 20 * 10, await app.BalanceAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
    }
}
