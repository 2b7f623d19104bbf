using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Tests.Infrastructure;
using static Ihui.Tests.Story.StoryFixtures;

namespace Ihui.Tests.Story;

/// <summary>Seed 003's generate-response: the SSE reply, its prompt, the stored turn, admission statuses, a client going away.</summary>
public sealed class GenerateResponseTests(StoryChatApp app) : IClassFixture<StoryChatApp>
{
    private const string Route = "/api/v1/story_chat/generate-response";

    private async Task<(Wallet W, string Hui, string Conversation, string Story)> SetUpAsync()
    {
        var w = await app.NewWalletAsync();
        var hui = await CharacterAsync(w, "小惠", "温柔，爱笑", "在咖啡店打工的大学生");
        var jing = await CharacterAsync(w, "小静");
        var story = await StoryAsync(w, [hui, jing], language: "English");
        var conversation = (await Json(await w.Http.PostAsJsonAsync("/api/v1/conversation", new
        {
            story_id = story, messages = new[] { new { content = "咖啡厅里飘着香气", character_id = NarratorId } },
        }), HttpStatusCode.OK)).GetProperty("id").GetString()!;
        return (w, hui, conversation, story);
    }

    private static object Body(string character, string conversation, bool first = true, int historyLength = 25, object[]? history = null,
        string? lastMessageId = null) => new
    {
        history_length = historyLength, character_id = character, user_message = "小惠，你最近在忙些什么呢？", conversation_id = conversation,
        last_message_id = lastMessageId, is_first_response = first,
        history_messages = history ?? new object[]
        {
            new { role = "user", content = "大家好啊" },
            new { role = "narrator", content = "阳光透过落地窗洒在桌上" },
            new { role = "character", character_name = "小静", content = "这里的环境真的很适合聊天呢" },
        },
    };

    private static List<JsonElement> Events(string sse) =>
        sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone()).ToList();

    private async Task<List<JsonElement>> HistoryAsync(Wallet w, string conversation) =>
        (await Json(await w.Http.GetAsync($"/api/v1/story_chat/history-messages?conversation_id={conversation}"), HttpStatusCode.OK)).EnumerateArray().ToList();

    [Fact]
    public async Task The_reply_streams_as_fragments_then_a_final_event_and_the_turn_is_stored()
    {
        var (w, hui, conversation, _) = await SetUpAsync();
        await Json(await w.Http.PostAsJsonAsync("/api/v1/system-prompt-posts", new { content = "每次都提到天气。" }), HttpStatusCode.Created);
        var balance = await app.BalanceAsync(w.UserId);
        var before = app.DashScope.Requests.Count;

        var response = await w.Http.PostAsJsonAsync(Route, Body(hui, conversation));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = Events(await response.Content.ReadAsStringAsync());
        var fragments = events.Where(e => e.TryGetProperty("content", out _)).Select(e => e.GetProperty("content").GetString()).ToList();
        Assert.True(fragments.Count > 1);
        Assert.Equal(app.DashScope.Reply, string.Concat(fragments));
        var done = events[^1];
        Assert.True(done.GetProperty("done").GetBoolean());
        Assert.Equal(84, done.GetProperty("charged").GetInt64());
        Assert.Equal(balance - 84, done.GetProperty("balance").GetInt64());
        Assert.Equal(balance - 84, await app.BalanceAsync(w.UserId));

        // The prompt: the character, the story, its language, the user's post; the client's history; the user's message.
        var sent = JsonNode.Parse(app.DashScope.Requests.Skip(before).Single().Body)!;
        Assert.Equal("qwen-plus-upstream", sent["model"]!.GetValue<string>());
        Assert.Equal(1.5, sent["temperature"]!.GetValue<double>());
        var messages = sent["messages"]!.AsArray();
        var system = messages[0]!["content"]!.GetValue<string>();
        foreach (var part in (string[])["You are 小惠", "温柔，爱笑", "在咖啡店打工的大学生", "在高级西餐厅的约会", "answer in English", "每次都提到天气。"])
            Assert.Contains(part, system);
        Assert.Equal(["system", "user", "user", "user", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("[旁白] 阳光透过落地窗洒在桌上", messages[2]!["content"]!.GetValue<string>());
        Assert.Equal("[小静] 这里的环境真的很适合聊天呢", messages[3]!["content"]!.GetValue<string>());
        Assert.Equal("小惠，你最近在忙些什么呢？", messages[4]!["content"]!.GetValue<string>());

        var history = await HistoryAsync(w, conversation);
        Assert.Equal([1, 2, 3], history.Select(m => m.GetProperty("sequence").GetInt32()));
        Assert.Equal(("user", "小惠，你最近在忙些什么呢？"), (history[1].GetProperty("role").GetString(), history[1].GetProperty("content").GetString()));
        Assert.Equal(("assistant", "小惠", app.DashScope.Reply, false), (history[2].GetProperty("role").GetString(),
            history[2].GetProperty("character_name").GetString(), history[2].GetProperty("content").GetString(), history[2].GetProperty("interrupted").GetBoolean()));
        Assert.Equal(history[2].GetProperty("id").GetString(), done.GetProperty("message_id").GetString());
        Assert.Equal(history[1].GetProperty("id").GetString(), done.GetProperty("user_message_id").GetString());
        Assert.Equal(3, done.GetProperty("sequence").GetInt32());

        // The next speaker of the same turn: the user's message is not stored again.
        var second = await w.Http.PostAsJsonAsync(Route, Body(hui, conversation, first: false));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(Events(await second.Content.ReadAsStringAsync())[^1].GetProperty("user_message_id").ValueKind == JsonValueKind.Null);
        Assert.Equal(["assistant", "user", "assistant", "assistant"], (await HistoryAsync(w, conversation)).Select(m => m.GetProperty("role").GetString()));
        var call = (await app.CallsAsync(w.UserId)).First(c => c.Route == Route);
        Assert.Equal(("succeeded", 84L), (call.Status, call.Charged));
        Assert.Equal(conversation, await app.ScalarAsync<string>("SELECT chat_id FROM calls WHERE id = @id", new { id = call.Id }));
    }

    [Fact]
    public async Task History_length_bounds_the_history_sent_and_stored_history_is_used_when_none_is_given()
    {
        var (w, hui, conversation, _) = await SetUpAsync();
        var history = Enumerable.Range(1, 10).Select(i => (object)new { role = "user", content = $"h{i}" }).ToArray();
        var before = app.DashScope.Requests.Count;
        (await w.Http.PostAsJsonAsync(Route, Body(hui, conversation, historyLength: 2, history: history))).EnsureSuccessStatusCode();
        var messages = JsonNode.Parse(app.DashScope.Requests.Skip(before).Single().Body)!["messages"]!.AsArray();
        Assert.Equal(["h9", "h10"], messages.Skip(1).Take(2).Select(m => m!["content"]!.GetValue<string>()));
        Assert.Equal(4, messages.Count);

        // No history in the body: the conversation's stored messages (the opening line, the user's message, the reply).
        before = app.DashScope.Requests.Count;
        (await w.Http.PostAsJsonAsync(Route, Body(hui, conversation, first: false, history: []))).EnsureSuccessStatusCode();
        messages = JsonNode.Parse(app.DashScope.Requests.Skip(before).Single().Body)!["messages"]!.AsArray();
        Assert.Equal(["system", "user", "user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("[旁白] 咖啡厅里飘着香气", messages[1]!["content"]!.GetValue<string>());
        // The user's message of this turn is in the stored history already: not sent again, the character is asked to go on.
        Assert.Equal("小惠，你最近在忙些什么呢？", messages[2]!["content"]!.GetValue<string>());
        Assert.Equal("(Continue the story as 小惠.)", messages[4]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refusals_are_real_statuses_before_any_byte()
    {
        var (w, hui, conversation, _) = await SetUpAsync();
        var anonymous = await app.CreateClient().PostAsJsonAsync(Route, Body(hui, conversation));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Not authenticated", (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var other = await app.NewWalletAsync();
        Assert.Equal("Conversation not found", (await Json(await other.Http.PostAsJsonAsync(Route, Body(hui, conversation)), HttpStatusCode.NotFound))
            .GetProperty("detail").GetString());
        Assert.Equal("Character not found", (await Json(await w.Http.PostAsJsonAsync(Route, Body(new string('a', 24), conversation)), HttpStatusCode.NotFound))
            .GetProperty("detail").GetString());
        await Json(await w.Http.PostAsJsonAsync(Route, new { character_id = hui, user_message = "hi" }), HttpStatusCode.UnprocessableEntity);

        await app.ExecuteAsync("UPDATE users SET balance = 0 WHERE id = @id", new { id = w.UserId });
        var before = app.DashScope.Requests.Count;
        var poor = await w.Http.PostAsJsonAsync(Route, Body(hui, conversation));
        Assert.Equal(HttpStatusCode.PaymentRequired, poor.StatusCode);
        Assert.Equal("application/json", poor.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, app.DashScope.Requests.Count);
        // Refused before admission: the user's message is not stored.
        Assert.Single(await HistoryAsync(w, conversation));
    }

    [Fact]
    public async Task A_vendor_failing_before_its_first_token_is_a_status_and_refunded()
    {
        var (w, hui, conversation, _) = await SetUpAsync();
        var balance = await app.BalanceAsync(w.UserId);
        app.DashScope.Mode = Fakes.FakeMode.Fail;
        try
        {
            Assert.Equal(HttpStatusCode.BadGateway, (await w.Http.PostAsJsonAsync(Route, Body(hui, conversation))).StatusCode);
        }
        finally
        {
            app.DashScope.Mode = Fakes.FakeMode.Normal;
        }
        Assert.Equal(balance, await app.BalanceAsync(w.UserId));
        Assert.Equal(await app.BalanceAsync(w.UserId), await app.LedgerSumAsync(w.UserId));
        Assert.Equal(0, await app.HoldCountAsync(w.UserId));
        // The turn did not happen: neither the reply nor the user's message was stored, so the client's retry of the same
        // turn (again is_first_response) stores the message once.
        Assert.Single(await HistoryAsync(w, conversation));
        var retry = await w.Http.PostAsJsonAsync(Route, Body(hui, conversation));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var done = Events(await retry.Content.ReadAsStringAsync())[^1];
        var history = await HistoryAsync(w, conversation);
        Assert.Equal(["assistant", "user", "assistant"], history.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(history[1].GetProperty("id").GetString(), done.GetProperty("user_message_id").GetString());
    }

    [Fact]
    public async Task Last_message_id_must_be_in_the_conversation_and_ends_the_stored_history_sent()
    {
        var (w, hui, conversation, _) = await SetUpAsync();
        var opening = (await HistoryAsync(w, conversation)).Single().GetProperty("id").GetString()!;
        var (other, _, otherConversation, _) = await SetUpAsync();
        var elsewhere = (await HistoryAsync(other, otherConversation)).Single().GetProperty("id").GetString()!;
        var before = app.DashScope.Requests.Count;
        foreach (var id in new[] { new string('b', 24), elsewhere })
            Assert.Equal("Message not found", (await Json(await w.Http.PostAsJsonAsync(Route, Body(hui, conversation, lastMessageId: id)),
                HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        await Json(await w.Http.PostAsJsonAsync(Route, Body(hui, conversation, lastMessageId: "not-an-id")), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, app.DashScope.Requests.Count);
        Assert.Single(await HistoryAsync(w, conversation));

        // A stored turn, then a reply asked for as of the opening line: the history sent ends there.
        (await w.Http.PostAsJsonAsync(Route, Body(hui, conversation, history: []))).EnsureSuccessStatusCode();
        before = app.DashScope.Requests.Count;
        (await w.Http.PostAsJsonAsync(Route, Body(hui, conversation, first: false, history: [], lastMessageId: opening))).EnsureSuccessStatusCode();
        var messages = JsonNode.Parse(app.DashScope.Requests.Skip(before).Single().Body)!["messages"]!.AsArray();
        Assert.Equal(["system", "user", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("[旁白] 咖啡厅里飘着香气", messages[1]!["content"]!.GetValue<string>());
        // As of the conversation's last message: everything stored so far.
        var last = (await HistoryAsync(w, conversation))[^1].GetProperty("id").GetString()!;
        before = app.DashScope.Requests.Count;
        (await w.Http.PostAsJsonAsync(Route, Body(hui, conversation, first: false, history: [], lastMessageId: last))).EnsureSuccessStatusCode();
        messages = JsonNode.Parse(app.DashScope.Requests.Skip(before).Single().Body)!["messages"]!.AsArray();
        Assert.Equal(["system", "user", "user", "assistant", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("(Continue the story as 小惠.)", messages[5]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_going_away_cancels_the_vendor_stores_the_delivered_part_marked_and_charges_it()
    {
        var (w, hui, conversation, _) = await SetUpAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var aborts = app.DashScope.Aborts;
        app.DashScope.StallAfterPieces = 2;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = JsonContent.Create(Body(hui, conversation)) };
            var response = await w.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            var seen = new StringBuilder();
            var buffer = new byte[1024];
            while (!seen.ToString().Contains("\n\n", StringComparison.Ordinal))
                seen.Append(Encoding.UTF8.GetString(buffer, 0, await stream.ReadAsync(buffer, cts.Token)));
            Assert.StartsWith("data: {\"content\":", seen.ToString());
            await cts.CancelAsync();
            response.Dispose();
            for (var i = 0; i < 200 && app.DashScope.Aborts == aborts; i++) await Task.Delay(50);
            Assert.True(app.DashScope.Aborts > aborts, "the vendor request was not cancelled");
        }
        finally
        {
            app.DashScope.StallAfterPieces = null;
        }

        List<JsonElement> history = [];
        for (var i = 0; i < 100 && history.Count < 3; i++, await Task.Delay(50)) history = await HistoryAsync(w, conversation);
        var cut = history[^1];
        Assert.True(cut.GetProperty("interrupted").GetBoolean());
        Assert.Equal(app.DashScope.Reply[..6], cut.GetProperty("content").GetString());
        CallRowView? call = null;
        for (var i = 0; i < 100 && call is null; i++, await Task.Delay(50)) call = (await app.CallsAsync(w.UserId)).FirstOrDefault(c => c.Route == Route);
        Assert.NotNull(call);
        Assert.Equal("cancelled", call.Status);
        Assert.InRange(call.Charged, 1, call.Reserved - 1);
        Assert.Equal(balance - call.Charged, await app.BalanceAsync(w.UserId));
        Assert.Equal(await app.BalanceAsync(w.UserId), await app.LedgerSumAsync(w.UserId));
    }
}
