using System.Net;
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

        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/api/v1/languages")).StatusCode);
        // A new token of the same wallet is the same user: still limited.
        var again = app.CreateClient();
        again.DefaultRequestHeaders.Authorization = new("Bearer", await app.SignInAsync(busy.Key));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await again.GetAsync("/api/v1/narrator")).StatusCode);
    }
}
