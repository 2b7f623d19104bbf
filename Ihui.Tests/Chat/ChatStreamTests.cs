using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Errors;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Chat;

public sealed class ChatStreamTests(ChatStreamApp app) : IClassFixture<ChatStreamApp>, IDisposable
{
    private const string Doubao = "/cozeZhsApi/ws/doubao/streamDou";
    private const string DeepSeekRoute = "/cozeZhsApi/ws/chatdeepseek/stream";

    public void Dispose()
    {
        foreach (var fake in app.ChatFakes)
        {
            fake.Reset();
            fake.Reasoning = null;
            fake.SendUsage = true;
            fake.Reply = "你好！我是通义千问。";
            fake.Delay = TimeSpan.FromMilliseconds(50);
        }
    }

    private async Task AssertBooksBalanceAsync(string userId, long expected)
    {
        Assert.Equal(expected, await app.BalanceAsync(userId));
        Assert.Equal(expected, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Theory]
    [InlineData(Doubao, "doubao", "doubao-seed-1-6-250615")]
    [InlineData("/cozeZhsApi/ws/qwen/stream", "dashscope", "qwen-plus")]
    [InlineData("/cozeZhsApi/ws/chatomni/stream", "dashscope", "qwen-omni-turbo")]
    [InlineData("/cozeZhsApi/ws/zhipu/stream", "zhipu", "glm-4-plus")]
    [InlineData(DeepSeekRoute, "deepseek", "deepseek-chat")]
    public async Task A_turn_streams_deltas_then_done_and_charges_exactly_the_vendors_usage(string route, string vendor, string model)
    {
        var user = await app.CreateUserAsync(100_000);
        var fake = app.Fake(vendor);
        var before = fake.Requests.Count;
        await using var ws = await app.ConnectAsync(route, user.Id, "client-7");

        var connected = await ws.ExpectAsync("connected");
        Assert.Equal("client-7", connected.GetProperty("client_id").GetString());
        await ws.SendChatAsync("你好", "chat-" + Guid.NewGuid().ToString("N"));
        var frames = await ws.ReadTurnAsync();

        var deltas = frames.Where(f => f.GetProperty("type").GetString() == "delta").ToList();
        Assert.True(deltas.Count > 1);
        Assert.Equal(fake.Reply, string.Concat(deltas.Select(d => d.GetProperty("content").GetString())));
        var done = frames[^1];
        Assert.Equal("done", done.GetProperty("type").GetString());
        Assert.Equal(fake.Reply, done.GetProperty("content").GetString());
        Assert.Equal(30, done.GetProperty("usage").GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(12, done.GetProperty("usage").GetProperty("completion_tokens").GetInt64());
        Assert.False(done.GetProperty("usage").GetProperty("estimated").GetBoolean());
        // (30 + 12) tokens at 1000 per 1K, × TOKEN_BASE_MULTIPLIER 2.0.
        Assert.Equal(84, done.GetProperty("consume_token").GetInt64());
        Assert.Equal(100_000 - 84, done.GetProperty("balance").GetInt64());
        await AssertBooksBalanceAsync(user.Id, 100_000 - 84);

        var sent = fake.Received.Skip(before).Single();
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal(model, body.RootElement.GetProperty("model").GetString());
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
        Assert.True(body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("你好", body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        if (route.Contains("chatomni", StringComparison.Ordinal))
            Assert.Equal("[\"text\"]", body.RootElement.GetProperty("modalities").GetRawText());
        else
            Assert.False(body.RootElement.TryGetProperty("modalities", out _));
        if (vendor == "zhipu")
            Assert.Equal(3, sent.Headers["Authorization"].Split('.').Length); // a JWT (the fake verified it), not the raw key
        Assert.DoesNotContain(ChatStreamApp.ZhipuKey, sent.Headers["Authorization"], StringComparison.Ordinal);

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", route, vendor, model), (call.Status, call.Route, call.Vendor, call.Model));
        Assert.Equal((30L, 12L, 84L), (call.UsageIn, call.UsageOut, call.Charged));
    }

    [Fact]
    public async Task DeepSeek_reasoning_arrives_as_separate_frames_before_the_answer()
    {
        var user = await app.CreateUserAsync(100_000);
        app.DeepSeek.Reasoning = "先想一想用户要什么。";
        await using var ws = await app.ConnectAsync(DeepSeekRoute, user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("1+1=?");
        var frames = await ws.ReadTurnAsync();

        var types = frames.Select(f => f.GetProperty("type").GetString()).ToList();
        Assert.True(types.LastIndexOf("reasoning") < types.IndexOf("delta"));
        Assert.Equal(app.DeepSeek.Reasoning,
            string.Concat(frames.Where(f => f.GetProperty("type").GetString() == "reasoning").Select(f => f.GetProperty("content").GetString())));
        Assert.Equal(app.DeepSeek.Reasoning, frames[^1].GetProperty("reasoning").GetString());
        Assert.Equal(app.DeepSeek.Reply, frames[^1].GetProperty("content").GetString());
        await AssertBooksBalanceAsync(user.Id, 100_000 - 84);
    }

    [Fact]
    public async Task Client_id_is_generated_when_absent_and_ping_gets_pong()
    {
        var user = await app.CreateUserAsync(1_000);
        await using var ws = await app.ConnectAsync(Doubao, user.Id);
        var connected = await ws.ExpectAsync("connected");
        Assert.Equal(32, connected.GetProperty("client_id").GetString()!.Length);
        await ws.SendAsync(new { type = "ping" });
        await ws.ExpectAsync("pong");
    }

    [Fact]
    public async Task The_second_turn_sends_the_history_and_both_turns_are_stored()
    {
        var user = await app.CreateUserAsync(100_000);
        var chatId = "chat-" + Guid.NewGuid().ToString("N");
        var before = app.Ark.Requests.Count;
        await using var ws = await app.ConnectAsync(Doubao, user.Id);
        await ws.ExpectAsync("connected");

        app.Ark.Reply = "第一轮回答";
        await ws.SendChatAsync("第一个问题", chatId);
        await ws.ExpectDoneAsync();
        app.Ark.Reply = "第二轮回答";
        await ws.SendChatAsync("第二个问题", chatId);
        await ws.ExpectDoneAsync();

        var second = app.Ark.Received.Skip(before).ToArray()[1];
        using var body = JsonDocument.Parse(second.Body);
        var messages = body.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToList();
        Assert.Equal([("user", "第一个问题"), ("assistant", "第一轮回答"), ("user", "第二个问题")], messages);
        Assert.Equal([("user", "第一个问题"), ("assistant", "第一轮回答"), ("user", "第二个问题"), ("assistant", "第二轮回答")],
            await app.ChatMessagesAsync(chatId));
        Assert.Equal(2, (await app.CallsAsync(user.Id)).Count(c => c.Status == "succeeded"));
    }

    [Fact]
    public async Task Another_users_chat_id_is_refused_with_403_and_costs_nothing()
    {
        var owner = await app.CreateUserAsync(100_000);
        var intruder = await app.CreateUserAsync(100_000);
        var chatId = "chat-" + Guid.NewGuid().ToString("N");
        await using (var ws = await app.ConnectAsync(Doubao, owner.Id))
        {
            await ws.ExpectAsync("connected");
            await ws.SendChatAsync("我的秘密", chatId);
            await ws.ReadTurnAsync();
        }
        var before = app.Ark.Requests.Count;

        await using var other = await app.ConnectAsync(Doubao, intruder.Id);
        await other.ExpectAsync("connected");
        await other.SendChatAsync("告诉我他的秘密", chatId);
        var frames = await other.ReadTurnAsync();

        var error = Assert.Single(frames);
        Assert.Equal(("error", 403), (error.GetProperty("type").GetString(), error.GetProperty("code").GetInt32()));
        Assert.Equal(before, app.Ark.Requests.Count);
        await AssertBooksBalanceAsync(intruder.Id, 100_000);
        Assert.Equal(2, (await app.ChatMessagesAsync(chatId)).Count);
    }

    [Fact]
    public async Task Insufficient_balance_is_an_error_frame_402_before_any_delta_and_the_vendor_is_not_called()
    {
        var user = await app.CreateUserAsync(10);
        var before = app.Ark.Requests.Count;
        await using var ws = await app.ConnectAsync(Doubao, user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("你好");
        var error = Assert.Single(await ws.ReadTurnAsync());

        Assert.Equal(402, error.GetProperty("code").GetInt32());
        Assert.Contains("balance", error.GetProperty("msg").GetString());
        Assert.Equal(before, app.Ark.Requests.Count);
        await AssertBooksBalanceAsync(user.Id, 10);
        Assert.Equal(("failed", 402), (Assert.Single(await app.CallsAsync(user.Id)).Status, 402));
    }

    [Theory]
    [InlineData(500, 502)]
    [InlineData(429, 429)]
    public async Task A_vendor_failure_before_output_is_an_error_frame_and_a_full_refund(int vendorStatus, int expected)
    {
        var user = await app.CreateUserAsync(50_000);
        app.Ark.Mode = FakeMode.Fail;
        app.Ark.FailStatus = vendorStatus;
        await using var ws = await app.ConnectAsync(Doubao, user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("你好", "c-fail");
        var error = Assert.Single(await ws.ReadTurnAsync());

        Assert.Equal(("error", expected), (error.GetProperty("type").GetString(), error.GetProperty("code").GetInt32()));
        Assert.Equal("c-fail", error.GetProperty("chat_id").GetString());
        await AssertBooksBalanceAsync(user.Id, 50_000);
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("failed", expected, 0L), (call.Status, call.ErrorCode!.Value, call.Charged));
        Assert.True(call.Reserved > 0);
    }

    [Fact]
    public async Task A_vendor_timeout_is_an_error_frame_408_and_refunded()
    {
        var user = await app.CreateUserAsync(50_000);
        app.Ark.Mode = FakeMode.Hang;
        await using var ws = await app.ConnectAsync(Doubao, user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("你好");
        var error = Assert.Single(await ws.ReadTurnAsync());

        Assert.Equal(408, error.GetProperty("code").GetInt32());
        await AssertBooksBalanceAsync(user.Id, 50_000);
        Assert.Equal("timeout", Assert.Single(await app.CallsAsync(user.Id)).Status);
    }

    [Fact]
    public async Task A_stream_cut_mid_answer_is_an_error_frame_without_done_and_charges_only_what_was_delivered()
    {
        var user = await app.CreateUserAsync(50_000);
        app.Ark.Mode = FakeMode.CutStream;
        app.Ark.Reply = "这是一个会被中途切断的很长的回答内容";
        var chatId = "chat-" + Guid.NewGuid().ToString("N");
        await using var ws = await app.ConnectAsync(Doubao, user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("你好", chatId);
        var frames = await ws.ReadTurnAsync();

        Assert.DoesNotContain(frames, f => f.GetProperty("type").GetString() == "done");
        Assert.Equal(502, frames[^1].GetProperty("code").GetInt32());
        var delivered = string.Concat(frames.Where(f => f.GetProperty("type").GetString() == "delta").Select(f => f.GetProperty("content").GetString()));
        Assert.NotEmpty(delivered);
        Assert.StartsWith(delivered, app.Ark.Reply, StringComparison.Ordinal);
        Assert.True(delivered.Length < app.Ark.Reply.Length);

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("failed", 502), (call.Status, call.ErrorCode!.Value));
        // Input estimated from the prompt (2 chars), output counted from the delivered text; marked estimated.
        var outputTokens = TokenCounter.Count(delivered);
        Assert.InRange(outputTokens, 1, delivered.Length);
        Assert.Equal((2L, outputTokens), (call.UsageIn, call.UsageOut));
        Assert.Equal((long)Math.Ceiling((2 + outputTokens) * 2m), call.Charged);
        Assert.True(await app.CallUsageEstimatedAsync(call.Id));
        await AssertBooksBalanceAsync(user.Id, 50_000 - call.Charged);
        Assert.Empty(await app.ChatMessagesAsync(chatId));
    }

    [Fact]
    public async Task Without_vendor_usage_the_turn_is_counted_locally_and_marked_estimated()
    {
        var user = await app.CreateUserAsync(50_000);
        app.Zhipu.SendUsage = false;
        await using var ws = await app.ConnectAsync("/cozeZhsApi/ws/zhipu/stream", user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("你好呀");
        var done = (await ws.ReadTurnAsync())[^1];

        Assert.Equal("done", done.GetProperty("type").GetString());
        Assert.True(done.GetProperty("usage").GetProperty("estimated").GetBoolean());
        var outputTokens = TokenCounter.Count(app.Zhipu.Reply);
        var expected = (long)Math.Ceiling((3 + outputTokens) * 2m);
        Assert.Equal(outputTokens, done.GetProperty("usage").GetProperty("completion_tokens").GetInt64());
        Assert.Equal(expected, done.GetProperty("consume_token").GetInt64());
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal((3L, outputTokens, expected), (call.UsageIn, call.UsageOut, call.Charged));
        Assert.True(await app.CallUsageEstimatedAsync(call.Id));
        await AssertBooksBalanceAsync(user.Id, 50_000 - expected);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_that_disconnects_mid_stream_cancels_the_vendor_request_and_pays_for_what_it_got(bool abort)
    {
        var user = await app.CreateUserAsync(50_000);
        app.Ark.Mode = FakeMode.Slow;
        app.Ark.Delay = TimeSpan.FromMilliseconds(300);
        app.Ark.Reply = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";
        var aborts = app.Ark.Aborts;
        var ws = await app.ConnectAsync(Doubao, user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("数数", "c-gone");
        var first = await ws.ExpectAsync("delta");
        Assert.Equal("一二三", first.GetProperty("content").GetString());
        if (abort) ws.Socket.Abort();
        else await ws.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        var call = await Eventually(async () => (await app.CallsAsync(user.Id)).SingleOrDefault());
        Assert.Equal(("cancelled", 499), (call.Status, call.ErrorCode!.Value));
        await Eventually(() => Task.FromResult(app.Ark.Aborts > aborts ? (object)true : null));
        Assert.True(call.UsageOut is >= 1 and < 30);
        Assert.True(call.Charged > 0);
        await AssertBooksBalanceAsync(user.Id, 50_000 - call.Charged);
        ws.Socket.Dispose();
    }

    [Fact]
    public async Task Bad_frames_get_error_frames_and_the_socket_stays_usable()
    {
        var user = await app.CreateUserAsync(100_000);
        await using var ws = await app.ConnectAsync(Doubao, user.Id);
        await ws.ExpectAsync("connected");

        async Task<JsonElement> ExpectError()
        {
            var e = await ws.ExpectAsync("error");
            Assert.Equal(400, e.GetProperty("code").GetInt32());
            return e;
        }

        await ws.SendTextAsync("this is not json");
        Assert.Contains("JSON", (await ExpectError()).GetProperty("msg").GetString());
        await ws.SendTextAsync("[1,2,3]");
        await ExpectError();
        await ws.SendAsync(new { type = "dance" });
        Assert.Contains("unknown frame type", (await ExpectError()).GetProperty("msg").GetString());
        await ws.SendAsync(new { type = "chat" });
        await ExpectError();
        await ws.SendAsync(new { type = "chat", data = new { prompt = 42 } });
        Assert.Contains("data.prompt", (await ExpectError()).GetProperty("msg").GetString());
        await ws.SendAsync(new { type = "chat", data = new { chat_id = "c1" } });
        Assert.Contains("prompt", (await ExpectError()).GetProperty("msg").GetString());
        await ws.SendChatAsync(new string('a', 20_001));
        Assert.Contains("prompt", (await ExpectError()).GetProperty("msg").GetString());
        await ws.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Contains("binary", (await ExpectError()).GetProperty("msg").GetString());
        await ws.SendTextAsync("{\"type\":\"chat\",\"data\":{\"prompt\":\"" + new string('a', 70_000) + "\"}}");
        Assert.Contains("larger than", (await ExpectError()).GetProperty("msg").GetString());
        await ws.Socket.SendAsync(new byte[] { 0xC3, 0x28 }, WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Contains("UTF-8", (await ExpectError()).GetProperty("msg").GetString());

        foreach (var frame in (string[])["null", "{}", "{\"type\":null}", "{\"type\":5}", "{\"type\":\"chat\",\"data\":null}",
                     "{\"type\":\"chat\",\"data\":[]}", "{\"type\":\"chat\",\"data\":{\"prompt\":null}}",
                     "{\"type\":\"chat\",\"data\":{\"prompt\":\"x\",\"chat_id\":{}}}", "{\"type\":\"chat\",\"data\":{\"prompt\":[\"x\"]}}"])
        {
            await ws.SendTextAsync(frame);
            await ExpectError();
        }

        await ws.SendAsync(new { type = "ping" });
        await ws.ExpectAsync("pong");
        await ws.SendChatAsync("终于正常了");
        var done = (await ws.ReadTurnAsync())[^1];
        Assert.Equal("done", done.GetProperty("type").GetString());
        Assert.Equal(100_000 - 84, done.GetProperty("balance").GetInt64());
        await AssertBooksBalanceAsync(user.Id, 100_000 - 84);
    }

    [Fact]
    public async Task A_second_chat_frame_while_a_turn_runs_is_refused_and_the_first_turn_completes()
    {
        var user = await app.CreateUserAsync(100_000);
        app.Ark.Mode = FakeMode.Slow;
        app.Ark.Delay = TimeSpan.FromMilliseconds(100);
        await using var ws = await app.ConnectAsync(Doubao, user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("第一个", "c-busy");
        await ws.ExpectAsync("delta");
        await ws.SendChatAsync("第二个", "c-busy");
        var frames = await ws.ReadTurnAsync();
        var busy = frames[^1];
        Assert.Equal(("error", 429), (busy.GetProperty("type").GetString(), busy.GetProperty("code").GetInt32()));
        Assert.Contains("already running", busy.GetProperty("msg").GetString());
        var rest = await ws.ReadTurnAsync();
        Assert.Equal("done", rest[^1].GetProperty("type").GetString());
        Assert.Equal(app.Ark.Reply, rest[^1].GetProperty("content").GetString());

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal("succeeded", call.Status);
        await AssertBooksBalanceAsync(user.Id, 100_000 - 84);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("not-a-uuid")]
    public async Task An_unknown_or_missing_user_gets_401_on_the_chat_frame(string? userUuid)
    {
        var before = app.Ark.Requests.Count;
        await using var ws = await app.ConnectAsync(Doubao, userUuid);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("你好");
        var error = Assert.Single(await ws.ReadTurnAsync());

        Assert.Equal(401, error.GetProperty("code").GetInt32());
        Assert.Equal(before, app.Ark.Requests.Count);
        await ws.SendAsync(new { type = "ping" });
        await ws.ExpectAsync("pong");
    }

    [Fact]
    public async Task A_disabled_user_gets_401()
    {
        var user = await app.CreateUserAsync(100_000);
        await app.Services.GetRequiredService<Ihui.Features.Common.Data.Db>().ExecuteWriteAsync("UPDATE users SET status = 0 WHERE id = @Id", new { user.Id });
        await using var ws = await app.ConnectAsync(Doubao, user.Id);
        await ws.ExpectAsync("connected");

        await ws.SendChatAsync("你好");

        Assert.Equal(401, (await ws.ExpectAsync("error")).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_plain_http_request_to_a_socket_route_is_400_in_the_seed_envelope()
    {
        var response = await app.CreateClient().GetAsync(Doubao);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(400, json.GetProperty("code").GetInt32());
        Assert.Contains("WebSocket", json.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Each_turn_is_its_own_call_and_the_balance_equals_the_ledger_at_the_end()
    {
        var user = await app.CreateUserAsync(100_000);
        await using var ws = await app.ConnectAsync("/cozeZhsApi/ws/qwen/stream", user.Id);
        await ws.ExpectAsync("connected");
        for (var i = 0; i < 3; i++)
        {
            await ws.SendChatAsync("第" + i + "轮", "c-many");
            await ws.ExpectDoneAsync();
        }

        var calls = await app.CallsAsync(user.Id);
        Assert.Equal(3, calls.Select(c => c.Id).Distinct().Count());
        Assert.All(calls, c => Assert.Equal(84, c.Charged));
        await AssertBooksBalanceAsync(user.Id, 100_000 - 3 * 84);
    }

    [Fact]
    public async Task History_is_bounded_by_turns_and_characters_and_never_starts_with_an_answer()
    {
        var user = await app.CreateUserAsync(0);
        var store = app.Services.GetRequiredService<ChatHistoryStore>();
        var chatId = "chat-" + Guid.NewGuid().ToString("N");
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 1; i <= 5; i++)
            await store.AppendTurnAsync(chatId, user.Id, "q" + i, "answer" + i, t0.AddMinutes(i));

        var lastTwo = await store.LoadAsync(chatId, user.Id, maxMessages: 4, maxChars: 10_000, CancellationToken.None);
        Assert.Equal(["q4", "answer4", "q5", "answer5"], lastTwo.Select(m => m.Content));
        Assert.Equal(["user", "assistant", "user", "assistant"], lastTwo.Select(m => m.Role));
        // answer5 + q5 + answer4 = 16 characters fit in 17, q4 does not; "answer4" alone must not lead.
        var byChars = await store.LoadAsync(chatId, user.Id, maxMessages: 20, maxChars: 17, CancellationToken.None);
        Assert.Equal(["q5", "answer5"], byChars.Select(m => m.Content));
        Assert.Empty(await store.LoadAsync(chatId, user.Id, maxMessages: 0, maxChars: 10_000, CancellationToken.None));
        var stranger = await app.CreateUserAsync(0);
        var e = await Assert.ThrowsAsync<ApiException>(() => store.LoadAsync(chatId, stranger.Id, 4, 10_000, CancellationToken.None));
        Assert.Equal(403, e.Status);
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe) where T : class
    {
        for (var i = 0; i < 100; i++)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException("condition not reached in 5 s");
    }
}
