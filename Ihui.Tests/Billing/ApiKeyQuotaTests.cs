using System.Net;
using System.Net.Http.Json;
using Ihui.Features.Common.Billing;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Billing;

/// <summary>
/// A key's quota and the user's balance are reserved in one transaction: under concurrency neither is overrun.
/// The request is built so that the hold equals the real charge (30 input characters and max_tokens 12 against
/// the fake's 30 + 12 tokens), so exactly as many calls fit as the limit allows.
/// </summary>
public sealed class ApiKeyQuotaTests(OpenAiApiApp app) : IClassFixture<OpenAiApiApp>
{
    private const long Cost = 84;
    private static readonly string Prompt = new('问', 30);

    private static object Body(bool stream) => new
    {
        model = "test-qwen",
        messages = new[] { new { role = "user", content = Prompt } },
        max_tokens = 12,
        stream,
    };

    private async Task<(HttpStatusCode Status, string? Code)[]> HammerAsync(string key, int count)
    {
        var http = app.KeyClient(key);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var response = await http.PostAsJsonAsync("/v1/chat/completions", Body(stream: i % 2 == 0));
            var text = await response.Content.ReadAsStringAsync();
            string? code = null;
            if (!response.IsSuccessStatusCode)
                code = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("code").GetString();
            else if (i % 2 == 0)
                Assert.EndsWith("data: [DONE]\n\n", text);
            return (response.StatusCode, code);
        }));
    }

    private async Task<long> KeyUsedAsync(string userId, string keyId)
    {
        var listed = await IhuiApp.JsonAsync(await app.CreateClient().GetAsync($"/api/keys?user_uuid={userId}"));
        return listed.GetProperty("data").GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == keyId).GetProperty("used").GetInt64();
    }

    [Fact]
    public async Task Thirty_parallel_calls_on_a_key_with_quota_for_five_charge_exactly_five()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var (keyId, key) = await app.CreateKeyAsync(user.Id, quota: 5 * Cost);

        var results = await HammerAsync(key, 30);

        Assert.Equal(5, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal((HttpStatusCode.TooManyRequests, "insufficient_quota"), r));
        Assert.Equal(5 * Cost, await KeyUsedAsync(user.Id, keyId));
        Assert.Equal(1_000_000 - 5 * Cost, await app.BalanceAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
        Assert.Equal(5 * Cost, (await app.CallsAsync(user.Id)).Sum(c => c.Charged));
    }

    [Fact]
    public async Task Thirty_parallel_calls_with_balance_for_five_charge_exactly_five()
    {
        var user = await app.CreateUserAsync(5 * Cost);
        var (keyId, key) = await app.CreateKeyAsync(user.Id);

        var results = await HammerAsync(key, 30);

        Assert.Equal(5, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal((HttpStatusCode.PaymentRequired, "insufficient_balance"), r));
        Assert.Equal(0, await app.BalanceAsync(user.Id));
        Assert.Equal(0, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
        Assert.Equal(5 * Cost, await KeyUsedAsync(user.Id, keyId));
    }

    [Fact]
    public async Task Failed_calls_give_the_keys_quota_back()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var (keyId, key) = await app.CreateKeyAsync(user.Id, quota: Cost);
        app.DashScope.Mode = Fakes.FakeMode.Fail;
        try
        {
            var failed = await app.KeyClient(key).PostAsJsonAsync("/v1/chat/completions", Body(stream: true));
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }
        finally
        {
            app.DashScope.Reset();
        }
        Assert.Equal(0, await KeyUsedAsync(user.Id, keyId));

        Assert.Equal(HttpStatusCode.OK, (await app.KeyClient(key).PostAsJsonAsync("/v1/chat/completions", Body(stream: false))).StatusCode);
        Assert.Equal(Cost, await KeyUsedAsync(user.Id, keyId));
        var third = await app.KeyClient(key).PostAsJsonAsync("/v1/chat/completions", Body(stream: false));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(1_000_000 - Cost, await app.BalanceAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task A_charge_above_the_hold_never_takes_the_key_past_its_quota()
    {
        var user = await app.CreateUserAsync(1_000_000);
        // Quota for one hold only: max_tokens 1 makes the hold (30 + 1) × 2 = 62, the vendor then reports 30 + 12.
        var (keyId, key) = await app.CreateKeyAsync(user.Id, quota: 62);

        var response = await app.KeyClient(key).PostAsJsonAsync("/v1/chat/completions",
            new { model = "test-qwen", messages = new[] { new { role = "user", content = Prompt } }, max_tokens = 1 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(62, await KeyUsedAsync(user.Id, keyId));
        Assert.Equal(1_000_000 - 62, await app.BalanceAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task The_sweeper_gives_an_expired_holds_quota_back_to_its_key()
    {
        var user = await app.CreateUserAsync(1000);
        var (keyId, _) = await app.CreateKeyAsync(user.Id, quota: 500);
        var ledger = app.Services.GetRequiredService<Ledger>();

        Assert.Equal(ReserveOutcome.Reserved, await ledger.TryReserveAsync(user.Id, "call-" + Guid.NewGuid().ToString("N"), 300, keyId, TimeSpan.FromSeconds(-1)));
        Assert.Equal(300, await KeyUsedAsync(user.Id, keyId));
        Assert.Equal(ReserveOutcome.KeyQuotaExceeded, await ledger.TryReserveAsync(user.Id, "call-" + Guid.NewGuid().ToString("N"), 300, keyId));
        Assert.Equal(700, await app.BalanceAsync(user.Id));

        Assert.True(await ledger.ReleaseExpiredAsync() >= 1);

        Assert.Equal(0, await KeyUsedAsync(user.Id, keyId));
        Assert.Equal(1000, await app.BalanceAsync(user.Id));
        Assert.Equal(1000, await app.LedgerSumAsync(user.Id));
    }
}
