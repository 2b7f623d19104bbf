using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Story.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Ihui.Tests.Story.StoryFixtures;

namespace Ihui.Tests.Story;

/// <summary>Seed 003's conversations: creation with opening lines, finding one by story, both history forms and their paging, retention.</summary>
public sealed class ConversationTests(StoryChatApp app) : IClassFixture<StoryChatApp>
{
    private ConversationStore Store => app.Services.GetRequiredService<ConversationStore>();

    [Fact]
    public async Task A_conversation_keeps_its_opening_lines_in_order_and_is_found_by_its_story()
    {
        var w = await app.NewWalletAsync();
        var hui = await CharacterAsync(w, "小惠");
        var story = await StoryAsync(w, [hui]);
        Assert.True((await Json(await w.Http.GetAsync($"/api/v1/conversation/{story}"), HttpStatusCode.OK)).GetProperty("conversation_id").ValueKind == JsonValueKind.Null);

        var created = await Json(await w.Http.PostAsJsonAsync("/api/v1/conversation", new
        {
            story_id = story,
            messages = new[] { new { content = "阳光明媚的下午", character_id = NarratorId }, new { content = "你好，我是小惠", character_id = hui } },
        }), HttpStatusCode.OK);
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{24}$", id);
        Assert.Equal(story, created.GetProperty("story_id").GetString());
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.EndsWith("Z", created.GetProperty("created_at").GetString());
        Assert.Equal(id, (await Json(await w.Http.GetAsync($"/api/v1/conversation/{story}"), HttpStatusCode.OK)).GetProperty("conversation_id").GetString());

        var history = await Json(await w.Http.GetAsync($"/api/v1/story_chat/history-messages?conversation_id={id}"), HttpStatusCode.OK);
        Assert.Equal(2, history.GetArrayLength());
        var (first, second) = (history[0], history[1]);
        Assert.Equal(["id", "content", "character_id", "character_name", "is_opening", "sequence", "created_at", "role", "interrupted"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("阳光明媚的下午", "旁白", 1, true, "assistant"),
            (first.GetProperty("content").GetString(), first.GetProperty("character_name").GetString(), first.GetProperty("sequence").GetInt32(),
                first.GetProperty("is_opening").GetBoolean(), first.GetProperty("role").GetString()));
        Assert.Equal(("小惠", hui, 2), (second.GetProperty("character_name").GetString(), second.GetProperty("character_id").GetString(), second.GetProperty("sequence").GetInt32()));
        Assert.Equal(second.GetProperty("id").GetString(), created.GetProperty("last_message_id").GetString());

        // Another user sees neither the conversation nor its history.
        var other = await app.NewWalletAsync();
        Assert.True((await Json(await other.Http.GetAsync($"/api/v1/conversation/{story}"), HttpStatusCode.OK)).GetProperty("conversation_id").ValueKind == JsonValueKind.Null);
        Assert.Equal("Conversation not found", (await Json(await other.Http.GetAsync($"/api/v1/story_chat/history-messages?conversation_id={id}"),
            HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        await Json(await other.Http.PostAsJsonAsync("/api/v1/story_chat/history-messages", new { conversation_id = id }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_conversations_are_refused_with_the_documented_statuses()
    {
        var w = await app.NewWalletAsync();
        var hui = await CharacterAsync(w, "小惠");
        var outsider = await CharacterAsync(w, "路人");
        var story = await StoryAsync(w, [hui]);
        Assert.Equal("Story not found", (await Json(await w.Http.PostAsJsonAsync("/api/v1/conversation", new { story_id = new string('a', 24) }),
            HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        await Json(await w.Http.PostAsJsonAsync("/api/v1/conversation", new { story_id = story, messages = new[] { new { content = "hi", character_id = outsider } } }),
            HttpStatusCode.BadRequest);
        var missing = await Json(await w.Http.PostAsJsonAsync("/api/v1/conversation", new { messages = Array.Empty<object>() }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["body", "story_id"], missing.GetProperty("detail")[0].GetProperty("loc").EnumerateArray().Select(e => e.GetString()));
        await Json(await w.Http.PostAsJsonAsync("/api/v1/conversation", new { story_id = story, messages = new[] { new { content = "", character_id = hui } } }),
            HttpStatusCode.UnprocessableEntity);
        // Another user's draft is not found; a published story may be played by anyone.
        var draft = (await Json(await w.Http.PostAsJsonAsync("/api/v1/stories", new { title = "草稿", setting = new { } }), HttpStatusCode.Created)).GetProperty("id").GetString();
        var other = await app.NewWalletAsync();
        await Json(await other.Http.PostAsJsonAsync("/api/v1/conversation", new { story_id = draft }), HttpStatusCode.NotFound);
        await Json(await other.Http.PostAsJsonAsync("/api/v1/conversation", new { story_id = story }), HttpStatusCode.OK);
        await Json(await w.Http.GetAsync("/api/v1/story_chat/history-messages"), HttpStatusCode.UnprocessableEntity);
        await Json(await w.Http.GetAsync($"/api/v1/story_chat/history-messages?conversation_id={new string('c', 24)}&limit=0"), HttpStatusCode.UnprocessableEntity);
        await Json(await w.Http.PostAsJsonAsync("/api/v1/story_chat/history-messages", new { conversation_id = new string('c', 24), last_message_time = "yesterday" }),
            HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task History_pages_scroll_back_before_the_given_message_and_are_capped()
    {
        var w = await app.NewWalletAsync();
        var story = await StoryAsync(w, [await CharacterAsync(w, "小静")]);
        var id = (await Json(await w.Http.PostAsJsonAsync("/api/v1/conversation", new { story_id = story }), HttpStatusCode.OK)).GetProperty("id").GetString()!;
        await Store.AppendAsync(id, Enumerable.Range(1, 120).Select(i => new NewMessage(i % 2 == 1 ? "user" : "assistant", $"m{i}")).ToList(), default);

        async Task<List<int>> Page(string query) =>
            (await Json(await w.Http.GetAsync($"/api/v1/story_chat/history-messages?conversation_id={id}{query}"), HttpStatusCode.OK))
            .EnumerateArray().Select(m => m.GetProperty("sequence").GetInt32()).ToList();

        var newest = await Page("");
        Assert.Equal(Enumerable.Range(71, 50), newest);
        var all = (await Json(await w.Http.GetAsync($"/api/v1/story_chat/history-messages?conversation_id={id}"), HttpStatusCode.OK)).EnumerateArray().ToList();
        var at71 = all[0].GetProperty("id").GetString();
        Assert.Equal(Enumerable.Range(21, 50), await Page($"&last_message_id={at71}"));
        var page2 = (await Json(await w.Http.GetAsync($"/api/v1/story_chat/history-messages?conversation_id={id}&last_message_id={at71}"), HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 20), await Page($"&last_message_id={page2[0].GetProperty("id").GetString()}"));
        Assert.Equal(Enumerable.Range(66, 5), await Page($"&last_message_id={at71}&limit=5"));
        Assert.Equal(50, (await Page("&limit=500")).Count);
        Assert.Equal("Message not found", (await Json(await w.Http.GetAsync($"/api/v1/story_chat/history-messages?conversation_id={id}&last_message_id={new string('d', 24)}"),
            HttpStatusCode.NotFound)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_time_form_answers_the_messages_stored_before_that_time()
    {
        var w = await app.NewWalletAsync();
        var story = await StoryAsync(w, [await CharacterAsync(w, "小静")]);
        var id = (await Json(await w.Http.PostAsJsonAsync("/api/v1/conversation", new { story_id = story }), HttpStatusCode.OK)).GetProperty("id").GetString()!;
        for (var i = 1; i <= 8; i++)
        {
            await Store.AppendAsync(id, [new NewMessage("user", $"m{i}")], default);
            await Task.Delay(5);
        }
        var all = (await Json(await w.Http.PostAsJsonAsync("/api/v1/story_chat/history-messages", new { conversation_id = id }), HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(8, all.Count);
        var sixth = all[5].GetProperty("created_at").GetString();
        var before = await Json(await w.Http.PostAsJsonAsync("/api/v1/story_chat/history-messages", new { conversation_id = id, last_message_time = sixth }), HttpStatusCode.OK);
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], before.EnumerateArray().Select(m => m.GetProperty("content").GetString()));
        var limited = await Json(await w.Http.PostAsJsonAsync("/api/v1/story_chat/history-messages", new { conversation_id = id, last_message_time = sixth, limit = 2 }), HttpStatusCode.OK);
        Assert.Equal(["m4", "m5"], limited.EnumerateArray().Select(m => m.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task The_sweeper_removes_history_older_than_the_retention_and_keeps_the_rest()
    {
        var w = await app.NewWalletAsync();
        var story = await StoryAsync(w, [await CharacterAsync(w, "小静")]);
        var id = (await Json(await w.Http.PostAsJsonAsync("/api/v1/conversation", new { story_id = story }), HttpStatusCode.OK)).GetProperty("id").GetString()!;
        var rows = await Store.AppendAsync(id, Enumerable.Range(1, 6).Select(i => new NewMessage("user", $"m{i}")).ToList(), default);
        var old = DateTime.UtcNow - TimeSpan.FromDays(31);
        var edge = DateTime.UtcNow - TimeSpan.FromDays(29);
        await app.ExecuteAsync("UPDATE conversation_messages SET created_at = @old WHERE id IN @ids", new { old, ids = rows.Take(3).Select(r => r.Id).ToList() });
        await app.ExecuteAsync("UPDATE conversation_messages SET created_at = @edge WHERE id = @id", new { edge, id = rows[3].Id });

        Assert.True(await app.Services.GetRequiredService<HistorySweeper>().SweepOnceAsync(default) >= 3);
        var left = (await Json(await w.Http.GetAsync($"/api/v1/story_chat/history-messages?conversation_id={id}"), HttpStatusCode.OK))
            .EnumerateArray().Select(m => m.GetProperty("content").GetString()).ToList();
        Assert.Equal(["m4", "m5", "m6"], left);
        // The conversation stays (the story is still started); only old messages go.
        Assert.Equal(id, (await Json(await w.Http.GetAsync($"/api/v1/conversation/{story}"), HttpStatusCode.OK)).GetProperty("conversation_id").GetString());
    }

    [Theory]
    [InlineData("STORY_HISTORY_RETENTION_DAYS", "0")]
    [InlineData("STORY_HISTORY_PAGE_SIZE", "many")]
    [InlineData("STORY_HISTORY_SWEEP_SECONDS", "-5")]
    public void A_bad_history_setting_stops_the_start_naming_it(string name, string value)
    {
        var c = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [name] = value }).Build();
        Assert.Equal(name, Assert.Throws<InvalidSettingException>(() => StoryChatSettings.From(c)).Variable);
    }
}
