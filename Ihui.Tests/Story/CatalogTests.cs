using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ihui.Tests.Story;

/// <summary>The platform's catalogs (seeded on a fresh install; editors write, everyone reads) and the users' own system-prompt posts.</summary>
public sealed class CatalogTests(StoryApp app) : IClassFixture<StoryApp>
{
    private static async Task<JsonElement> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{(int)r.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task A_fresh_install_has_the_seed_data()
    {
        var w = await app.NewWalletAsync();
        var languages = await Json(await w.Http.GetAsync("/api/v1/languages"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, languages.ValueKind);
        Assert.Contains(languages.EnumerateArray(), l => l.GetProperty("language").GetString() == "中文");
        Assert.Contains(languages.EnumerateArray(), l => l.GetProperty("language").GetString() == "English");

        var styles = await Json(await w.Http.GetAsync("/api/v1/art-styles"), HttpStatusCode.OK);
        Assert.True(styles.GetArrayLength() >= 3);
        var active = await Json(await w.Http.GetAsync("/api/v1/art-styles?status=active"), HttpStatusCode.OK);
        Assert.All(active.EnumerateArray(), s => Assert.Equal("active", s.GetProperty("status").GetString()));
        Assert.True(active.GetArrayLength() < styles.GetArrayLength());
        Assert.Equal("status", (await Json(await w.Http.GetAsync("/api/v1/art-styles?status=deleted"), HttpStatusCode.UnprocessableEntity))
            .GetProperty("detail")[0].GetProperty("loc")[1].GetString());

        var t2i = await Json(await w.Http.GetAsync("/api/v1/prompt-templates/t2i_character"), HttpStatusCode.OK);
        Assert.Equal("t2i_character", t2i.GetProperty("type").GetString());
        Assert.Contains("{character_description}", t2i.GetProperty("content").GetString());
        await Json(await w.Http.GetAsync("/api/v1/prompt-templates/no_such_type"), HttpStatusCode.NotFound);

        var templates = await Json(await w.Http.GetAsync("/api/v1/story-templates?status=active"), HttpStatusCode.OK);
        var free = templates.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "free-creation");
        Assert.Equal(5, free.GetProperty("maxCharacters").GetInt32());
        Assert.Equal(JsonValueKind.Array, free.GetProperty("components").ValueKind);
        Assert.True(free.TryGetProperty("hiddenPrompt", out _));

        var narrator = await Json(await w.Http.GetAsync("/api/v1/narrator"), HttpStatusCode.OK);
        Assert.Equal("narrator", narrator.GetProperty("character_type").GetString());
    }

    [Fact]
    public async Task Catalogs_are_written_by_platform_editors_only()
    {
        var user = await app.NewWalletAsync();
        var editor = await app.NewWalletAsync(app.Editor);
        Assert.Equal("Only platform editors can change this catalog",
            (await Json(await user.Http.PostAsJsonAsync("/api/v1/languages", new { language = "Français" }), HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        await Json(await user.Http.PostAsJsonAsync("/api/v1/music", new { name = "n", url = "https://m.example.com/a.mp3", type = "epic" }), HttpStatusCode.Forbidden);
        await Json(await user.Http.PostAsJsonAsync("/api/v1/story-templates", new { name = "t" }), HttpStatusCode.Forbidden);

        // Languages: 201, bare list, 409 on a duplicate, update, 204 delete.
        var created = await Json(await editor.Http.PostAsJsonAsync("/api/v1/languages", new { language = "Français" }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(new[] { "id", "language", "created_at" }, created.EnumerateObject().Select(p => p.Name).ToArray());
        await Json(await editor.Http.PostAsJsonAsync("/api/v1/languages", new { language = "Français" }), HttpStatusCode.Conflict);
        Assert.Equal("Français", (await Json(await user.Http.GetAsync($"/api/v1/languages/{id}"), HttpStatusCode.OK)).GetProperty("language").GetString());
        await Json(await user.Http.PutAsJsonAsync($"/api/v1/languages/{id}", new { language = "x" }), HttpStatusCode.Forbidden);
        Assert.Equal("Deutsch", (await Json(await editor.Http.PutAsJsonAsync($"/api/v1/languages/{id}", new { language = "Deutsch" }), HttpStatusCode.OK))
            .GetProperty("language").GetString());
        await Json(await user.Http.DeleteAsync($"/api/v1/languages/{id}"), HttpStatusCode.Forbidden);
        await Json(await editor.Http.DeleteAsync($"/api/v1/languages/{id}"), HttpStatusCode.NoContent);
        await Json(await editor.Http.DeleteAsync($"/api/v1/languages/{id}"), HttpStatusCode.NotFound);

        // Music: by type, the list of types.
        var epic = await Json(await editor.Http.PostAsJsonAsync("/api/v1/music", new { name = "战歌", url = "https://m.example.com/war.mp3", type = "epic" }), HttpStatusCode.Created);
        await Json(await editor.Http.PostAsJsonAsync("/api/v1/music", new { name = "雨", url = "https://m.example.com/rain.mp3", type = "calm" }), HttpStatusCode.Created);
        await Json(await editor.Http.PostAsJsonAsync("/api/v1/music", new { name = "bad", url = "javascript:alert(1)", type = "calm" }), HttpStatusCode.UnprocessableEntity);
        var musicId = epic.GetProperty("id").GetString()!;
        var onlyEpic = await Json(await user.Http.GetAsync("/api/v1/music?type=epic"), HttpStatusCode.OK);
        Assert.Contains(onlyEpic.EnumerateArray(), m => m.GetProperty("id").GetString() == musicId);
        Assert.All(onlyEpic.EnumerateArray(), m => Assert.Equal("epic", m.GetProperty("type").GetString()));
        var types = (await Json(await user.Http.GetAsync("/api/v1/music/types"), HttpStatusCode.OK)).EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("epic", types);
        Assert.Contains("calm", types);
        Assert.Equal(types.Distinct().Count(), types.Count);
        var renamed = await Json(await editor.Http.PutAsJsonAsync($"/api/v1/music/{musicId}", new { name = "新战歌" }), HttpStatusCode.OK);
        Assert.Equal("新战歌", renamed.GetProperty("name").GetString());
        Assert.Equal("https://m.example.com/war.mp3", renamed.GetProperty("url").GetString());
        Assert.Equal("新战歌", (await Json(await user.Http.GetAsync($"/api/v1/music/{musicId}"), HttpStatusCode.OK)).GetProperty("name").GetString());
        await Json(await editor.Http.DeleteAsync($"/api/v1/music/{musicId}"), HttpStatusCode.NoContent);
        await Json(await user.Http.GetAsync($"/api/v1/music/{musicId}"), HttpStatusCode.NotFound);

        // Story templates: the client's id, camelCase fields, the hidden prompt for editors' eyes only.
        var template = await Json(await editor.Http.PostAsJsonAsync("/api/v1/story-templates", new Dictionary<string, object>
        {
            ["id"] = "mystery-night", ["name"] = "推理之夜", ["thumbnail"] = "https://img.example.com/m.png", ["introduction"] = "一桩命案",
            ["components"] = new object[] { new { type = "clue", count = 3 } }, ["maxCharacters"] = 4, ["hiddenPrompt"] = "凶手是管家",
        }), HttpStatusCode.Created);
        Assert.Equal("mystery-night", template.GetProperty("id").GetString());
        Assert.Equal(4, template.GetProperty("maxCharacters").GetInt32());
        Assert.Equal("clue", template.GetProperty("components")[0].GetProperty("type").GetString());
        Assert.Equal("凶手是管家", template.GetProperty("hiddenPrompt").GetString());
        await Json(await editor.Http.PostAsJsonAsync("/api/v1/story-templates", new { id = "mystery-night", name = "again" }), HttpStatusCode.Conflict);
        var seen = await Json(await user.Http.GetAsync("/api/v1/story-templates/mystery-night"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("hiddenPrompt").ValueKind);
        var changed = await Json(await editor.Http.PutAsJsonAsync("/api/v1/story-templates/mystery-night",
            new Dictionary<string, object> { ["maxCharacters"] = 6, ["status"] = "inactive" }), HttpStatusCode.OK);
        Assert.Equal(6, changed.GetProperty("maxCharacters").GetInt32());
        Assert.Equal("推理之夜", changed.GetProperty("name").GetString());
        Assert.DoesNotContain((await Json(await user.Http.GetAsync("/api/v1/story-templates?status=active"), HttpStatusCode.OK)).EnumerateArray(),
            t => t.GetProperty("id").GetString() == "mystery-night");
        Assert.Contains((await Json(await user.Http.GetAsync("/api/v1/story-templates?status=inactive"), HttpStatusCode.OK)).EnumerateArray(),
            t => t.GetProperty("id").GetString() == "mystery-night");
        await Json(await editor.Http.PutAsJsonAsync("/api/v1/story-templates/mystery-night", new Dictionary<string, object> { ["maxCharacters"] = 0 }),
            HttpStatusCode.UnprocessableEntity);
        await Json(await editor.Http.DeleteAsync("/api/v1/story-templates/mystery-night"), HttpStatusCode.NoContent);
        await Json(await user.Http.GetAsync("/api/v1/story-templates/mystery-night"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task System_prompt_posts_are_their_owners()
    {
        var alice = await app.NewWalletAsync();
        var bob = await app.NewWalletAsync();
        var post = await Json(await alice.Http.PostAsJsonAsync("/api/v1/system-prompt-posts", new { content = "说话时多用比喻" }), HttpStatusCode.Created);
        Assert.Equal(new[] { "id", "content", "created_at" }, post.EnumerateObject().Select(p => p.Name).ToArray());
        var id = post.GetProperty("id").GetString()!;
        for (var i = 0; i < 11; i++) await Json(await alice.Http.PostAsJsonAsync("/api/v1/system-prompt-posts", new { content = $"p{i}" }), HttpStatusCode.Created);

        var page = await Json(await alice.Http.GetAsync("/api/v1/system-prompt-posts?page=2&limit=5"), HttpStatusCode.OK);
        Assert.Equal(12, page.GetProperty("total").GetInt64());
        Assert.Equal(5, page.GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await Json(await bob.Http.GetAsync("/api/v1/system-prompt-posts"), HttpStatusCode.OK)).GetProperty("total").GetInt64());

        await Json(await bob.Http.GetAsync($"/api/v1/system-prompt-posts/{id}"), HttpStatusCode.NotFound);
        await Json(await bob.Http.PutAsJsonAsync($"/api/v1/system-prompt-posts/{id}", new { content = "x" }), HttpStatusCode.Forbidden);
        await Json(await bob.Http.DeleteAsync($"/api/v1/system-prompt-posts/{id}"), HttpStatusCode.Forbidden);
        await Json(await bob.Http.PutAsJsonAsync($"/api/v1/system-prompt-posts/{new string('0', 24)}", new { content = "x" }), HttpStatusCode.NotFound);

        var updated = await Json(await alice.Http.PutAsJsonAsync($"/api/v1/system-prompt-posts/{id}", new { content = "新的提示词内容" }), HttpStatusCode.OK);
        Assert.Equal("新的提示词内容", updated.GetProperty("content").GetString());
        Assert.Equal(post.GetProperty("created_at").GetString(), updated.GetProperty("created_at").GetString());
        await Json(await alice.Http.PostAsJsonAsync("/api/v1/system-prompt-posts", new { content = "" }), HttpStatusCode.UnprocessableEntity);
        await Json(await alice.Http.PostAsJsonAsync("/api/v1/system-prompt-posts", new { content = new string('x', 20_001) }), HttpStatusCode.UnprocessableEntity);
        await Json(await alice.Http.DeleteAsync($"/api/v1/system-prompt-posts/{id}"), HttpStatusCode.NoContent);
        await Json(await alice.Http.GetAsync($"/api/v1/system-prompt-posts/{id}"), HttpStatusCode.NotFound);
    }
}
