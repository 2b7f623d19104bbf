using System.Net;
using System.Net.Http.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Story;

/// <summary>Seed 003's 100 requests per minute per user: a sliding window counted after auth, per user.</summary>
public sealed class RateLimitTests(StoryApp app) : IClassFixture<StoryApp>
{
    [Fact]
    public async Task The_101st_request_in_a_minute_is_a_429_with_Retry_After_and_another_user_is_unaffected()
    {
        var busy = await app.NewWalletAsync();
        var other = await app.NewWalletAsync();
        for (var i = 0; i < 100; i++)
        {
            var r = await busy.Http.GetAsync("/api/v1/languages");
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"request {i + 1}: {(int)r.StatusCode}");
        }
        var limited = await busy.Http.GetAsync("/api/v1/music/types");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retry = int.Parse(limited.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retry, 1, 60);
        Assert.Contains("Rate limit", (await IhuiApp.JsonAsync(limited)).GetProperty("detail").GetString());
        // The AI routes are in the same window (in OpenAI's error shape).
        var ai = await busy.Http.GetAsync("/api/v1/ai/t2i/tasks/task_x");
        Assert.Equal(HttpStatusCode.TooManyRequests, ai.StatusCode);
        Assert.True((await IhuiApp.JsonAsync(ai)).TryGetProperty("error", out _));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await busy.Http.PostAsJsonAsync("/api/v1/ai/i2t/chat/completions", new { model_id = "x", messages = new[] { new { role = "user", content = "hi" } } })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/api/v1/languages")).StatusCode);
        // A new token of the same wallet is the same user: still limited.
        var again = app.CreateClient();
        again.DefaultRequestHeaders.Authorization = new("Bearer", await app.SignInAsync(busy.Key));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await again.GetAsync("/api/v1/narrator")).StatusCode);
    }
}

/// <summary>Seed 003's own <c>/api/v1/llm/chat/completions</c> takes the wallet's token like an API key.</summary>
public sealed class WalletTokenOnLlmRouteTests(StoryApp app) : IClassFixture<StoryApp>
{
    [Fact]
    public async Task A_paw_token_gets_past_auth_on_the_llm_route_and_a_bad_one_does_not()
    {
        var w = await app.NewWalletAsync();
        var body = new { model = "no-such-model", messages = new[] { new { role = "user", content = "hi" } } };
        var r = await w.Http.PostAsJsonAsync("/api/v1/llm/chat/completions", body);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("invalid_model", (await IhuiApp.JsonAsync(r)).GetProperty("error").GetProperty("code").GetString());

        var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "paw_" + new string('0', 64));
        var refused = await forged.PostAsJsonAsync("/api/v1/llm/chat/completions", body);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True((await IhuiApp.JsonAsync(refused)).TryGetProperty("error", out _)); // OpenAI's shape on /llm
    }
}
