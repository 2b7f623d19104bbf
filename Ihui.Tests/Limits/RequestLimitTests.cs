using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Limits;

/// <summary>
/// Per-user and per-key limits on each kind of route: JSON (<c>/v1/chat/completions</c>), SSE (the same, streamed) and
/// WebSocket (a chat socket). A refusal is a 429 in the route's error shape with a sane <c>Retry-After</c>; a slot is
/// given back on success, failure, client disconnect and stream end.
/// </summary>
public sealed class RequestLimitTests(LimitsApp app) : IClassFixture<LimitsApp>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        app.DashScope.Reset();
        app.DashScope.StallAfterPieces = null;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        app.DashScope.Reset();
        app.DashScope.StallAfterPieces = null;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Json_requests_are_limited_per_key_then_per_user_and_a_refusal_counts_nowhere()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var (k1, k2, k3) = (await app.KeyAsync(user.Id), await app.KeyAsync(user.Id), await app.KeyAsync(user.Id, rpm: 100));
        for (var i = 0; i < LimitsApp.KeyRpm; i++) Assert.Equal(HttpStatusCode.OK, (await app.ChatAsync(k1)).StatusCode);
        await AssertOpenAi429Async(await app.ChatAsync(k1), "3 requests per minute for this API key", 40, 60);
        for (var i = 0; i < LimitsApp.UserRpm - LimitsApp.KeyRpm; i++) Assert.Equal(HttpStatusCode.OK, (await app.ChatAsync(k2)).StatusCode);
        // Six in the user's minute: a key with room of its own is refused by the user's limit.
        await AssertOpenAi429Async(await app.ChatAsync(k3), "6 requests per minute for this user", 40, 60);
        // Refused calls reach neither the vendor nor the balance.
        Assert.Equal(LimitsApp.UserRpm, app.DashScope.Requests.Count);
        Assert.Equal(await app.LedgerSumAsync(user.Id), await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task A_key_s_own_limit_set_at_creation_or_later_beats_the_default()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var http = app.CreateClient();
        var created = await http.PostAsJsonAsync("/api/keys", new { user_uuid = user.Id, name = "bulk", rpm_limit = 4, concurrency_limit = 2 });
        var data = (await IhuiApp.JsonAsync(created)).GetProperty("data");
        Assert.Equal((4, 2), (data.GetProperty("rpm_limit").GetInt32(), data.GetProperty("concurrency_limit").GetInt32()));
        var (id, key) = (data.GetProperty("id").GetString()!, data.GetProperty("key").GetString()!);
        // The default is 3 a minute: the fourth call passes on this key's own 4. (The user has used 1 of 6: the POST.)
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await app.ChatAsync(key)).StatusCode);
        await AssertOpenAi429Async(await app.ChatAsync(key), "4 requests per minute for this API key", 1, 60);

        var other = await app.CreateUserAsync(1_000_000);
        var (otherId, otherKey) = await CreateKeyAsync(other.Id);
        var put = await http.PutAsJsonAsync($"/api/keys/{otherId}/limits", new { user_uuid = other.Id, rpm_limit = 1 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var shown = (await IhuiApp.JsonAsync(put)).GetProperty("data");
        Assert.Equal(1, shown.GetProperty("rpm_limit").GetInt32());
        Assert.False(shown.TryGetProperty("concurrency_limit", out _)); // null: the default applies
        Assert.Equal(HttpStatusCode.OK, (await app.ChatAsync(otherKey)).StatusCode);
        await AssertOpenAi429Async(await app.ChatAsync(otherKey), "1 requests per minute for this API key", 1, 60);
        // Back to the default (3): the second call of the minute passes again.
        var reset = await http.PutAsJsonAsync($"/api/keys/{otherId}/limits", new { user_uuid = other.Id, rpm_limit = (int?)null });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ChatAsync(otherKey)).StatusCode);

        // Someone else's key is a 404; a negative limit is a 400; both in the seed envelope. (A third user: the key
        // routes are requests of the user's too, and the other two have used their minute.)
        var third = await app.CreateUserAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsJsonAsync($"/api/keys/{id}/limits", new { user_uuid = third.Id, rpm_limit = 9 })).StatusCode);
        var bad = await http.PutAsJsonAsync($"/api/keys/{otherId}/limits", new { user_uuid = third.Id, concurrency_limit = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(400, (await IhuiApp.JsonAsync(bad)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_key_running_its_one_request_refuses_the_next_until_the_client_goes_away()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var key = await app.KeyAsync(user.Id);
        app.DashScope.Mode = FakeMode.Hang;
        using var gone = new CancellationTokenSource();
        var held = app.ChatAsync(key, ct: gone.Token);
        await UntilAsync(() => app.DashScope.Requests.Count == 1);
        await AssertOpenAi429Async(await app.ChatAsync(key), "at most 1 at once for this API key", 1, 1);

        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
        app.DashScope.Mode = FakeMode.Normal;
        // The disconnect gave the slot back (the vendor timeout is a minute away).
        await UntilAsync(async () => (await app.ChatAsync(key)).StatusCode == HttpStatusCode.OK);
        // A failed call gives it back too: the next call on the same one-at-a-time key reaches the vendor again.
        app.DashScope.Mode = FakeMode.Fail;
        var failing = await app.KeyAsync(user.Id, rpm: 100);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.BadGateway, (await app.ChatAsync(failing)).StatusCode);
    }

    [Fact]
    public async Task Streams_hold_their_slot_until_they_end_or_their_client_goes_away()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var key = await app.KeyAsync(user.Id);
        app.DashScope.StallAfterPieces = 1;
        using (var first = await app.SendChatAsync(key, stream: true, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var reader = new StreamReader(await first.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync());
            // The first stream is running: a second is refused before a byte of it is sent.
            var second = await app.ChatAsync(key, stream: true);
            await AssertOpenAi429Async(second, "at most 1 at once for this API key", 1, 1);
            Assert.NotEqual("text/event-stream", second.Content.Headers.ContentType?.MediaType);
        } // the client goes away mid-stream

        app.DashScope.StallAfterPieces = null;
        await UntilAsync(async () =>
        {
            using var r = await app.ChatAsync(key, stream: true);
            return r.StatusCode == HttpStatusCode.OK && (await r.Content.ReadAsStringAsync()).Contains("[DONE]");
        });
        // A stream that ended gave its slot back at once.
        using var third = await app.ChatAsync(key, stream: true);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Contains("[DONE]", await third.Content.ReadAsStringAsync());
        // Three streams admitted in the minute: the fourth is refused by the key's rate, the SSE route's 429 says when to come back.
        await AssertOpenAi429Async(await app.ChatAsync(key, stream: true), "3 requests per minute for this API key", 1, 60);
    }

    [Fact]
    public async Task Chat_socket_turns_are_limited_per_user_with_an_error_frame_that_says_when_to_come_back()
    {
        const string route = "/cozeZhsApi/ws/qwen/stream";
        var user = await app.CreateUserAsync(1_000_000);
        app.DashScope.StallAfterPieces = 1;
        var a = await app.ConnectAsync(route, user.Id);
        var b = await app.ConnectAsync(route, user.Id);
        await using var c = await app.ConnectAsync(route, user.Id);
        foreach (var s in new[] { a, b, c }) await s.ExpectAsync("connected");
        await a.SendChatAsync("hi", "t1");
        await a.ExpectAsync("delta");
        await b.SendChatAsync("hi", "t2");
        await b.ExpectAsync("delta");

        // Two turns running (the user's limit): a third socket's turn is an error frame, and that socket stays usable.
        await c.SendChatAsync("hi", "t3");
        var refused = (await c.ReadTurnAsync())[^1];
        AssertErrorFrame(refused, "at most 2 at once for this user", 1, 1);
        Assert.Equal("t3", refused.GetProperty("chat_id").GetString());
        await c.SendAsync(new { type = "ping" });
        await c.ExpectAsync("pong");

        // Client a goes away mid-turn: its slot comes back.
        app.DashScope.StallAfterPieces = null;
        await a.DisposeAsync();
        JsonElement last = default;
        await UntilAsync(async () =>
        {
            await c.SendChatAsync("again", "t4");
            last = (await c.ReadTurnAsync())[^1];
            return last.GetProperty("type").GetString() == "done";
        });
        // a, b and c's admitted turn: three of six. Three more pass, the seventh is refused by the user's rate.
        for (var i = 0; i < 3; i++)
        {
            await c.SendChatAsync("more");
            await c.ExpectDoneAsync();
        }
        await c.SendChatAsync("one too many", "t9");
        AssertErrorFrame((await c.ReadTurnAsync())[^1], "6 requests per minute for this user", 1, 60);
        await b.DisposeAsync();
    }

    private static void AssertErrorFrame(JsonElement frame, string msg, int minRetry, int maxRetry)
    {
        Assert.Equal("error", frame.GetProperty("type").GetString());
        Assert.Equal(429, frame.GetProperty("code").GetInt32());
        Assert.Contains(msg, frame.GetProperty("msg").GetString());
        Assert.InRange(frame.GetProperty("retry_after").GetInt32(), minRetry, maxRetry);
    }

    private static async Task AssertOpenAi429Async(HttpResponseMessage response, string message, int minRetry, int maxRetry)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode}: {body}");
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
        var retry = response.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.NotNull(retry);
        Assert.InRange(retry.Value, minRetry, maxRetry);
    }

    private async Task<(string Id, string Key)> CreateKeyAsync(string userId)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/keys", new { user_uuid = userId });
        var data = (await IhuiApp.JsonAsync(response)).GetProperty("data");
        return (data.GetProperty("id").GetString()!, data.GetProperty("key").GetString()!);
    }

    private static Task UntilAsync(Func<bool> condition) => UntilAsync(() => Task.FromResult(condition()));

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition never held");
            await Task.Delay(50);
        }
    }
}
