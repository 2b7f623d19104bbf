using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Story;

/// <summary>Characters, stories, publishing and the unstarted-stories feed: shapes, ownership and paging, on either store.</summary>
public sealed class ContentTests(StoryApp app) : IClassFixture<StoryApp>
{
    private static async Task<JsonElement> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{(int)r.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> CreateCharacterAsync(Wallet w, string name, string? icon = null) =>
        (await Json(await w.Http.PostAsJsonAsync("/api/v1/characters",
            new { name, avatar = $"https://img.example.com/{name}.png", personality = "开朗", background = "背景", icon_url = icon }),
            HttpStatusCode.Created)).GetProperty("id").GetString()!;

    [Fact]
    public async Task Characters_have_the_seed_shape_and_are_private_to_their_owner()
    {
        var alice = await app.NewWalletAsync();
        var bob = await app.NewWalletAsync();
        var created = await Json(await alice.Http.PostAsJsonAsync("/api/v1/characters",
            new { name = "小惠", avatar = "https://img.example.com/a.png", personality = "温柔", background = "咖啡店店员" }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{24}$", id);
        Assert.Equal("小惠", created.GetProperty("name").GetString());
        Assert.Equal("https://img.example.com/a.png", created.GetProperty("avatar").GetString());
        Assert.Equal("温柔", created.GetProperty("personality").GetString());
        Assert.Equal("咖啡店店员", created.GetProperty("background").GetString());
        Assert.EndsWith("Z", created.GetProperty("created_at").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("description").ValueKind); // nulls are sent, as FastAPI does

        Assert.Equal(id, (await Json(await alice.Http.GetAsync($"/api/v1/characters/{id}"), HttpStatusCode.OK)).GetProperty("id").GetString());
        // Another user: not found on read, forbidden on write.
        Assert.Equal("Character not found", (await Json(await bob.Http.GetAsync($"/api/v1/characters/{id}"), HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        await Json(await bob.Http.PutAsJsonAsync($"/api/v1/characters/{id}", new { name = "x" }), HttpStatusCode.NotFound);
        await Json(await bob.Http.DeleteAsync($"/api/v1/characters/{id}"), HttpStatusCode.NotFound);

        var updated = await Json(await alice.Http.PutAsJsonAsync($"/api/v1/characters/{id}", new { personality = "活泼" }), HttpStatusCode.OK);
        Assert.Equal("活泼", updated.GetProperty("personality").GetString());
        Assert.Equal("小惠", updated.GetProperty("name").GetString()); // fields not given are kept

        var mine = await Json(await alice.Http.GetAsync("/api/v1/characters/list"), HttpStatusCode.OK);
        Assert.Equal(new[] { id }, mine.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray());
        Assert.Empty((await Json(await bob.Http.GetAsync("/api/v1/characters/list"), HttpStatusCode.OK)).EnumerateArray());

        // The platform's narrator is everyone's to read and no one's to change.
        var narrator = await Json(await bob.Http.GetAsync("/api/v1/narrator"), HttpStatusCode.OK);
        Assert.Equal("narrator", narrator.GetProperty("character_type").GetString());
        Assert.Equal("旁白", narrator.GetProperty("name").GetString());
        var narratorId = narrator.GetProperty("id").GetString();
        await Json(await bob.Http.GetAsync($"/api/v1/characters/{narratorId}"), HttpStatusCode.OK);
        await Json(await bob.Http.PutAsJsonAsync($"/api/v1/characters/{narratorId}", new { name = "mine now" }), HttpStatusCode.Forbidden);
        await Json(await bob.Http.DeleteAsync($"/api/v1/characters/{narratorId}"), HttpStatusCode.Forbidden);

        await Json(await alice.Http.DeleteAsync($"/api/v1/characters/{id}"), HttpStatusCode.NoContent);
        await Json(await alice.Http.GetAsync($"/api/v1/characters/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Character_avatar_create_makes_a_character_from_its_fields()
    {
        var w = await app.NewWalletAsync();
        var c = await Json(await w.Http.PostAsJsonAsync("/api/v1/character-avatar/create", new
        {
            llm_id = "deepseek-chat", character_name = "小静", character_description = "安静的图书管理员", personality = "内向",
            language = "中文", image_prompt = "a quiet librarian", image_url = "https://img.example.com/j.png", icon_url = "https://img.example.com/j-icon.png",
        }), HttpStatusCode.OK);
        Assert.Equal("小静", c.GetProperty("name").GetString());
        Assert.Equal("安静的图书管理员", c.GetProperty("description").GetString());
        Assert.Equal("https://img.example.com/j.png", c.GetProperty("image_url").GetString());
        Assert.Equal("https://img.example.com/j.png", c.GetProperty("avatar").GetString());
        Assert.Equal("https://img.example.com/j-icon.png", c.GetProperty("icon_url").GetString());
        Assert.Equal("a quiet librarian", c.GetProperty("image_prompt").GetString());
        Assert.Equal("deepseek-chat", c.GetProperty("llm_id").GetString());
        var detail = (await Json(await w.Http.PostAsJsonAsync("/api/v1/character-avatar/create", new { personality = "x" }), HttpStatusCode.UnprocessableEntity))
            .GetProperty("detail")[0];
        Assert.Equal("character_name", detail.GetProperty("loc")[1].GetString());
        Assert.Equal("missing", detail.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Paging_counts_everything_and_cuts_pages_at_the_edges()
    {
        var w = await app.NewWalletAsync();
        var ids = new List<string>();
        for (var i = 0; i < 12; i++) ids.Add(await CreateCharacterAsync(w, $"c{i:00}"));
        // GET /characters: the caller's and the platform's (the narrator), newest first.
        var first = await Json(await w.Http.GetAsync("/api/v1/characters"), HttpStatusCode.OK);
        Assert.Equal(13, first.GetProperty("total").GetInt64());
        Assert.Equal(10, first.GetProperty("items").GetArrayLength());
        var second = await Json(await w.Http.GetAsync("/api/v1/characters?page=2&limit=10"), HttpStatusCode.OK);
        Assert.Equal(3, second.GetProperty("items").GetArrayLength());
        var all = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.Equal(13, all.Distinct().Count());
        Assert.Empty((await Json(await w.Http.GetAsync("/api/v1/characters?page=3&limit=10"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(13, (await Json(await w.Http.GetAsync("/api/v1/characters?limit=100"), HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        Assert.Single((await Json(await w.Http.GetAsync("/api/v1/characters?page=13&limit=1"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        foreach (var (query, field, type) in new[]
                 {
                     ("page=0", "page", "greater_than_equal"), ("limit=101", "limit", "less_than_equal"), ("limit=0", "limit", "less_than_equal"),
                     ("page=abc", "page", "int_parsing"), ("limit=1.5", "limit", "int_parsing"), ("page=99999999999", "page", "int_parsing"),
                 })
        {
            var error = (await Json(await w.Http.GetAsync($"/api/v1/characters?{query}"), HttpStatusCode.UnprocessableEntity)).GetProperty("detail")[0];
            Assert.Equal(new[] { "query", field }, error.GetProperty("loc").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.Equal(type, error.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Stories_are_their_owners_and_answer_in_the_seed_shapes()
    {
        var alice = await app.NewWalletAsync();
        var bob = await app.NewWalletAsync();
        var setting = new
        {
            config = new { model = "deepseek-chat", temperature = 1.5, history_length = 25, summary_length = 200 },
            background = "在高级西餐厅的约会", character_ids = new[] { 1, 2, 3 },
            opening_messages = new[] { new { content = "在这个温馨的夜晚...", character_id = 1 } }, character_background = "现在我在高级西餐厅...",
        };
        var created = await Json(await alice.Http.PostAsJsonAsync("/api/v1/stories", new { title = "晚餐约会", setting }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("晚餐约会", created.GetProperty("title").GetString());
        Assert.Equal(1.5, created.GetProperty("setting").GetProperty("config").GetProperty("temperature").GetDouble());
        Assert.Equal("在高级西餐厅的约会", created.GetProperty("setting").GetProperty("background").GetString());
        Assert.True(created.TryGetProperty("created_at", out _));

        var list = await Json(await alice.Http.GetAsync("/api/v1/stories?page=1&limit=10"), HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("total").GetInt64());
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(0, (await Json(await bob.Http.GetAsync("/api/v1/stories"), HttpStatusCode.OK)).GetProperty("total").GetInt64());

        await Json(await bob.Http.GetAsync($"/api/v1/stories/{id}"), HttpStatusCode.NotFound);
        await Json(await bob.Http.PutAsJsonAsync($"/api/v1/stories/{id}", new { title = "x" }), HttpStatusCode.NotFound);

        var updated = await Json(await alice.Http.PutAsJsonAsync($"/api/v1/stories/{id}", new { title = "新标题" }), HttpStatusCode.OK);
        Assert.Equal("新标题", updated.GetProperty("title").GetString());
        Assert.True(updated.TryGetProperty("updated_at", out _));
        Assert.Equal("在高级西餐厅的约会", updated.GetProperty("setting").GetProperty("background").GetString());

        var bad = await Json(await alice.Http.PostAsJsonAsync("/api/v1/stories", new { title = "t", setting = "not an object" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("setting", bad.GetProperty("detail")[0].GetProperty("loc")[1].GetString());

        await Json(await bob.Http.DeleteAsync($"/api/v1/stories/{id}"), HttpStatusCode.NotFound);
        await Json(await alice.Http.DeleteAsync($"/api/v1/stories/{id}"), HttpStatusCode.NoContent);
        await Json(await alice.Http.GetAsync($"/api/v1/stories/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_published_story_is_in_everyones_unstarted_feed_with_the_seeds_item_shape_until_they_start_it()
    {
        var author = await app.NewWalletAsync();
        var reader = await app.NewWalletAsync();
        var narratorId = (await Json(await author.Http.GetAsync("/api/v1/narrator"), HttpStatusCode.OK)).GetProperty("id").GetString()!;
        var hero = (await Json(await author.Http.PostAsJsonAsync("/api/v1/character-avatar/create", new
        {
            character_name = "勇者", character_description = "年轻的剑士", image_url = "https://img.example.com/hero.png", icon_url = "https://img.example.com/hero-i.png",
        }), HttpStatusCode.OK)).GetProperty("id").GetString()!;
        var sage = await CreateCharacterAsync(author, "贤者", icon: "https://img.example.com/sage-i.png");

        // The editor adds the background music the story names.
        var editor = await app.NewWalletAsync(app.Editor);
        var music = await Json(await editor.Http.PostAsJsonAsync("/api/v1/music", new { name = "夜曲", url = "https://music.example.com/n.mp3", type = "calm" }),
            HttpStatusCode.Created);
        var musicId = music.GetProperty("id").GetString()!;

        var published = await Json(await author.Http.PostAsJsonAsync("/api/v1/story/publish", new
        {
            template_id = "free-creation", template_content = "Title: My Story\nContent: Once upon a time...\n\n",
            characters = new[] { narratorId, hero, sage }, background_music_id = musicId, bg_image_url = "http://example.com/image.jpg",
            story_name = "My Adventure", opening_messages = new[] { new { content = "Hello everyone!", character = hero }, new { content = "夜色降临。", character = narratorId } },
            settings = new { components = "..." }, language = "en",
        }), HttpStatusCode.OK);
        var storyId = published.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{24}$", storyId);
        Assert.Single(published.EnumerateObject());

        // Anyone may read a published story and the characters in it; only the author may change it.
        await Json(await reader.Http.GetAsync($"/api/v1/stories/{storyId}"), HttpStatusCode.OK);
        await Json(await reader.Http.GetAsync($"/api/v1/characters/{hero}"), HttpStatusCode.OK);
        await Json(await reader.Http.PutAsJsonAsync($"/api/v1/stories/{storyId}", new { title = "x" }), HttpStatusCode.Forbidden);
        await Json(await reader.Http.PutAsJsonAsync($"/api/v1/characters/{hero}", new { name = "x" }), HttpStatusCode.Forbidden);

        var feed = await Json(await reader.Http.GetAsync("/api/v1/story/get_unstarted_stories?page=1&limit=100"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, feed.ValueKind);
        var item = feed.EnumerateArray().Single(s => s.GetProperty("id").GetString() == storyId);
        Assert.Equal("My Adventure", item.GetProperty("title").GetString());
        Assert.Equal("Title: My Story\nContent: Once upon a time...\n\n", item.GetProperty("intro").GetString());
        Assert.Equal(new[] { "Hello everyone!", "夜色降临。" }, item.GetProperty("messages").EnumerateArray().Select(m => m.GetString()!).ToArray());
        Assert.Equal("0", item.GetProperty("likes").GetString());
        Assert.Equal("0", item.GetProperty("rewards").GetString());
        Assert.Equal("0", item.GetProperty("comments_count").GetString());
        Assert.Equal("http://example.com/image.jpg", item.GetProperty("background").GetString());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), item.GetProperty("date").GetString());
        Assert.Equal(3, item.GetProperty("characters").GetInt32());
        Assert.Equal("https://img.example.com/hero.png", item.GetProperty("avatar_url").GetString()); // the first non-narrator
        Assert.Equal(3, item.GetProperty("characterIcons").GetArrayLength());
        Assert.Equal("https://img.example.com/hero-i.png", item.GetProperty("characterIcons")[1].GetString());
        var details = item.GetProperty("characterDetails").EnumerateArray().ToList();
        Assert.Equal(new[] { narratorId, hero, sage }, details.Select(d => d.GetProperty("id").GetString()!).ToArray());
        Assert.Equal("narrator", details[0].GetProperty("character_type").GetString());
        Assert.Equal("年轻的剑士", details[1].GetProperty("description").GetString());
        foreach (var field in (string[])["id", "name", "description", "image_url", "icon_url", "character_type"])
            Assert.True(details[2].TryGetProperty(field, out _), field);
        Assert.Equal("https://music.example.com/n.mp3", item.GetProperty("backgroundMusic").GetString());
        Assert.Equal(author.Address, item.GetProperty("created_by").GetString());
        Assert.Equal(author.Address.ToLowerInvariant(), item.GetProperty("creator_name").GetString());

        // A conversation in the story (part 2 makes them) takes it out of that user's feed only.
        await app.ExecuteAsync("INSERT INTO conversations (id, user_id, story_id, status, last_message_id, created_at, updated_at) " +
                               "VALUES (@Id, @UserId, @StoryId, 'active', NULL, @Now, @Now)",
            new { Id = Guid.NewGuid().ToString("N")[..24], UserId = reader.UserId, StoryId = storyId, Now = DateTime.UtcNow });
        var after = await Json(await reader.Http.GetAsync("/api/v1/story/get_unstarted_stories?limit=100"), HttpStatusCode.OK);
        Assert.DoesNotContain(after.EnumerateArray(), s => s.GetProperty("id").GetString() == storyId);
        var authorFeed = await Json(await author.Http.GetAsync("/api/v1/story/get_unstarted_stories?limit=100"), HttpStatusCode.OK);
        Assert.Contains(authorFeed.EnumerateArray(), s => s.GetProperty("id").GetString() == storyId);
    }

    [Fact]
    public async Task Publishing_checks_what_the_story_refers_to()
    {
        var author = await app.NewWalletAsync();
        var other = await app.NewWalletAsync();
        var mine = await CreateCharacterAsync(author, "mine");
        var theirs = await CreateCharacterAsync(other, "theirs");
        object Body(string[] characters, string? template = "free-creation", string? music = null) =>
            new { template_id = template, characters, story_name = "S", background_music_id = music, opening_messages = Array.Empty<object>() };

        await Json(await author.Http.PostAsJsonAsync("/api/v1/story/publish", Body([theirs])), HttpStatusCode.NotFound);
        await Json(await author.Http.PostAsJsonAsync("/api/v1/story/publish", Body([new string('a', 24)])), HttpStatusCode.NotFound);
        await Json(await author.Http.PostAsJsonAsync("/api/v1/story/publish", Body([mine], template: "no-such-template")), HttpStatusCode.NotFound);
        await Json(await author.Http.PostAsJsonAsync("/api/v1/story/publish", Body([mine], music: new string('b', 24))), HttpStatusCode.NotFound);
        await Json(await author.Http.PostAsJsonAsync("/api/v1/story/publish", Body(["not-an-id"])), HttpStatusCode.UnprocessableEntity);
        // free-creation allows 5 characters.
        var six = new List<string>();
        for (var i = 0; i < 6; i++) six.Add(await CreateCharacterAsync(author, $"m{i}"));
        await Json(await author.Http.PostAsJsonAsync("/api/v1/story/publish", Body(six.ToArray())), HttpStatusCode.BadRequest);
        await Json(await author.Http.PostAsJsonAsync("/api/v1/story/publish", Body(six.Take(5).ToArray())), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_route_but_the_image_read_wants_a_token()
    {
        var anonymous = app.CreateClient();
        foreach (var (method, path) in new[]
                 {
                     ("GET", "/api/v1/characters"), ("GET", "/api/v1/characters/list"), ("GET", "/api/v1/narrator"), ("POST", "/api/v1/characters"),
                     ("GET", "/api/v1/stories"), ("POST", "/api/v1/story/publish"), ("GET", "/api/v1/story/get_unstarted_stories"),
                     ("GET", "/api/v1/languages"), ("GET", "/api/v1/music"), ("GET", "/api/v1/music/types"), ("GET", "/api/v1/story-templates"),
                     ("GET", "/api/v1/art-styles"), ("GET", "/api/v1/prompt-templates/t2i_character"), ("GET", "/api/v1/system-prompt-posts"),
                     ("POST", "/api/v1/images/upload"), ("POST", "/api/v1/auth/logout"),
                 })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
                request.Content = path.EndsWith("/upload", StringComparison.Ordinal)
                    ? new MultipartFormDataContent { { new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0]), "file", "a.jpg" } }
                    : new StringContent("{}", Encoding.UTF8, "application/json");
            var r = await anonymous.SendAsync(request);
            Assert.True(r.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)r.StatusCode}");
            Assert.Equal("Not authenticated", (await IhuiApp.JsonAsync(r)).GetProperty("detail").GetString());
        }
    }
}
