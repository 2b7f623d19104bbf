using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Story.SelectSpeakers;
using static Ihui.Tests.Story.StoryFixtures;

namespace Ihui.Tests.Story;

/// <summary>Seed 003's select-speakers: mentions (Chinese and English), the selector model and its checks, the seeded fallback.</summary>
public sealed class SpeakerSelectionTests(StoryChatApp app) : IClassFixture<StoryChatApp>
{
    private static readonly string[] Cast = ["旁白", "小惠", "小静"];

    [Theory]
    [InlineData("小惠你好", "小惠")]
    [InlineData("小静和小惠，你们今天过得怎么样？", "小静,小惠")]
    [InlineData("小惠，小惠！小静呢", "小惠,小静")]
    [InlineData("旁白描述一下环境，然后小惠说话", "小惠,旁白")]
    [InlineData("大家好", "")]
    public void Chinese_names_are_found_inside_text_in_the_order_named(string message, string expected) =>
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), SpeakerRules.Mentioned(message, Cast, "旁白"));

    [Theory]
    [InlineData("Alice and Bob, hello", "Alice,Bob")]
    [InlineData("hey bob! where is alice?", "Bob,Alice")]
    [InlineData("Alicia met Bobby", "")]
    [InlineData("Bob's idea", "Bob")]
    [InlineData("Alice你好", "Alice")]
    public void Latin_names_match_on_word_boundaries(string message, string expected) =>
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), SpeakerRules.Mentioned(message, ["Bob", "Alice", "Narrator"], "Narrator"));

    [Fact]
    public void A_name_inside_a_longer_name_is_not_a_mention_of_it()
    {
        Assert.Equal(["小惠子"], SpeakerRules.Mentioned("小惠子来了", ["小惠", "小惠子"], null));
        Assert.Equal(["小惠子", "小惠"], SpeakerRules.Mentioned("小惠子来了，小惠呢", ["小惠", "小惠子"], null));
    }

    [Theory]
    [InlineData("""{"speakers":["小静","旁白"]}""", "小静,旁白", null)]
    [InlineData("""{"speakers":["旁白","小静"]}""", "小静,旁白", null)]
    [InlineData("```json\n{\"speakers\":[\"小惠\"]}\n```", "小惠", null)]
    [InlineData("我觉得应该是小静", null, "not JSON")]
    [InlineData("""{"speakers":["张三"]}""", null, "'张三' is not one of the characters")]
    [InlineData("""{"speakers":["小惠","小惠"]}""", null, "once")]
    [InlineData("""{"speakers":[]}""", null, "at least one")]
    [InlineData("""{"speakers":"小惠"}""", null, "JSON object")]
    [InlineData("""{"speakers":[1]}""", null, "JSON string")]
    public void A_model_answer_is_checked(string answer, string? expected, string? error)
    {
        var (speakers, why) = SpeakerRules.Check(answer, Cast, "旁白");
        Assert.Equal(expected?.Split(','), speakers);
        if (error is null) Assert.Null(why);
        else Assert.Contains(error, why);
    }

    [Fact]
    public void The_fallback_is_seeded_rotates_avoids_the_last_speaker_and_places_the_narrator_last()
    {
        string[] names = ["旁白", "甲", "乙", "丙"];
        var turns = Enumerable.Range(1, 6).Select(t => SpeakerRules.Fallback(names, "旁白", "conv-1", t, null)).ToList();
        // Same conversation and turn, same answer.
        Assert.Equal(turns, Enumerable.Range(1, 6).Select(t => SpeakerRules.Fallback(names, "旁白", "conv-1", t, null)).ToList());
        // Three turns in a row name the three characters; the narrator joins last on turns 3 and 6.
        Assert.Equal(new[] { "甲", "乙", "丙" }.Order(StringComparer.Ordinal), turns.Take(3).Select(s => s[0]).Order(StringComparer.Ordinal));
        Assert.Equal(["旁白"], turns[2].Skip(1));
        Assert.Equal(["旁白"], turns[5].Skip(1));
        Assert.Single(turns[0]);
        // The one who spoke last is skipped.
        var first = turns[0][0];
        Assert.NotEqual(first, SpeakerRules.Fallback(names, "旁白", "conv-1", 1, first)[0]);
        Assert.Equal(["旁白"], SpeakerRules.Fallback(["旁白"], "旁白", "x", 1, "旁白"));
        Assert.Equal(["甲"], SpeakerRules.Fallback(["甲"], null, "x", 5, "甲"));

        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var cast = Enumerable.Range(0, random.Next(1, 6)).Select(n => "c" + n).Append("旁白").OrderBy(_ => random.Next()).ToList();
            var pick = SpeakerRules.Fallback(cast, "旁白", "seed" + random.Next(), random.Next(0, 50), cast[random.Next(cast.Count)]);
            Assert.NotEmpty(pick);
            Assert.All(pick, p => Assert.Contains(p, cast));
            Assert.Equal(pick.Count, pick.Distinct().Count());
            Assert.True(!pick.Contains("旁白") || pick[^1] == "旁白");
        }
    }

    private static object Body(string message, string? conversationId = null) => new
    {
        history_length = 25, user_message = message, character_names = Cast, conversation_id = conversationId,
        history_messages = new object[]
        {
            new { role = "user", content = "我们开始聊天吧" },
            new { role = "narrator", content = "阳光明媚的下午，三个朋友相聚在咖啡厅里" },
            new { role = "character", character_name = "小惠", content = "今天天气真好啊" },
        },
    };

    private async Task<(List<string> Speakers, long Charged, int VendorCalls)> SelectAsync(Wallet w, object body)
    {
        var balance = await app.BalanceAsync(w.UserId);
        var calls = app.DashScope.Requests.Count;
        var r = await Json(await w.Http.PostAsJsonAsync("/api/v1/story_chat/select-speakers", body), HttpStatusCode.OK);
        var speakers = r.GetProperty("speakers").EnumerateArray().Select(s => s.GetString()!).ToList();
        return (speakers, balance - await app.BalanceAsync(w.UserId), app.DashScope.Requests.Count - calls);
    }

    [Fact]
    public async Task Mentions_answer_without_calling_a_model()
    {
        var w = await app.NewWalletAsync();
        var (speakers, charged, calls) = await SelectAsync(w, Body("小静，你最近在忙些什么呢？"));
        Assert.Equal(["小静"], speakers);
        Assert.Equal((0, 0), (charged, calls));
    }

    [Fact]
    public async Task Otherwise_the_selector_model_chooses_billed_and_logged_under_the_route()
    {
        var w = await app.NewWalletAsync();
        app.DashScope.QueuedReplies.Clear();
        app.DashScope.QueuedReplies.Enqueue("""{"speakers":["旁白","小静"]}""");
        var conversation = new string('e', 24);
        var (speakers, charged, calls) = await SelectAsync(w, Body("大家今天过得怎么样？", conversation));
        Assert.Equal(["小静", "旁白"], speakers);
        Assert.Equal((84, 1), (charged, calls));
        var sent = JsonNode.Parse(app.DashScope.Requests.Last().Body)!;
        Assert.Equal("qwen-turbo-director", sent["model"]!.GetValue<string>());
        Assert.Equal("json_object", sent["response_format"]!["type"]!.GetValue<string>());
        Assert.Contains("小惠: 今天天气真好啊", sent["messages"]![1]!["content"]!.GetValue<string>());
        var call = Assert.Single(await app.CallsAsync(w.UserId));
        Assert.Equal(("/api/v1/story_chat/select-speakers", "succeeded", 84L), (call.Route, call.Status, call.Charged));
        Assert.Equal(conversation, await app.ScalarAsync<string>("SELECT chat_id FROM calls WHERE id = @id", new { id = call.Id }));
    }

    [Fact]
    public async Task A_garbage_answer_is_retried_once_with_the_reason()
    {
        var w = await app.NewWalletAsync();
        app.DashScope.QueuedReplies.Clear();
        app.DashScope.QueuedReplies.Enqueue("我觉得应该让小静说");
        app.DashScope.QueuedReplies.Enqueue("""{"speakers":["小静"]}""");
        var (speakers, charged, calls) = await SelectAsync(w, Body("嗯……"));
        Assert.Equal(["小静"], speakers);
        Assert.Equal((168, 2), (charged, calls));
        var retry = JsonNode.Parse(app.DashScope.Requests.Last().Body)!["messages"]!.AsArray();
        Assert.Equal("我觉得应该让小静说", retry[2]!["content"]!.GetValue<string>());
        Assert.Contains("cannot be used", retry[3]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Garbage_twice_falls_back_to_the_seeded_rotation()
    {
        var w = await app.NewWalletAsync();
        app.DashScope.QueuedReplies.Clear();
        app.DashScope.QueuedReplies.Enqueue("""{"speakers":["张三"]}""");
        app.DashScope.QueuedReplies.Enqueue("garbage");
        var conversation = new string('f', 24);
        var (speakers, _, calls) = await SelectAsync(w, Body("嗯……", conversation));
        Assert.Equal(2, calls);
        // The history has one user message, so this is turn 2; 小惠 spoke last.
        Assert.Equal(SpeakerRules.Fallback(Cast, "旁白", conversation, 2, "小惠"), speakers);
        Assert.DoesNotContain("小惠", speakers);
    }

    [Fact]
    public async Task A_failing_selector_is_refunded_and_the_rotation_answers()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        app.DashScope.Mode = Fakes.FakeMode.Fail;
        try
        {
            var (speakers, charged, _) = await SelectAsync(w, Body("嗯……"));
            Assert.Single(speakers);
            Assert.Contains(speakers[0], Cast);
            Assert.Equal(0, charged);
        }
        finally
        {
            app.DashScope.Mode = Fakes.FakeMode.Normal;
        }
        Assert.Equal(balance, await app.LedgerSumAsync(w.UserId));
        Assert.Equal(0, await app.HoldCountAsync(w.UserId));
        Assert.Equal("failed", Assert.Single(await app.CallsAsync(w.UserId)).Status);
    }

    [Fact]
    public async Task Bad_bodies_are_422_and_no_names_is_no_speakers()
    {
        var w = await app.NewWalletAsync();
        await Json(await w.Http.PostAsJsonAsync("/api/v1/story_chat/select-speakers", new { user_message = "hi" }), HttpStatusCode.UnprocessableEntity);
        await Json(await w.Http.PostAsJsonAsync("/api/v1/story_chat/select-speakers", new { user_message = "hi", character_names = Cast, history_length = 0 }),
            HttpStatusCode.UnprocessableEntity);
        var none = await Json(await w.Http.PostAsJsonAsync("/api/v1/story_chat/select-speakers", new { user_message = "hi", character_names = Array.Empty<string>() }),
            HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("speakers").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/v1/story_chat/select-speakers", Body("hi"))).StatusCode);
    }
}
