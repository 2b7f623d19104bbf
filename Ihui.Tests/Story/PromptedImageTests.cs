using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Data;
using Ihui.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Story;

/// <summary>
/// Seed 003's character avatar and story background: a chat model writes the image prompt from the template, the t2i model
/// draws it, the image is stored; both calls billed and logged under the route, linked by one generation id.
/// </summary>
public sealed class PromptedImageTests(StoryChatApp app) : IClassFixture<StoryChatApp>
{
    private const string Avatar = "/api/v1/character-avatar/generate";
    private const string Background = "/api/v1/llm/generate/story-background-image";

    private static object AvatarBody(string prompt = "story-chat", string t2i = "302/flux-schnell-1") => new
    {
        llm_id_for_prompt = prompt, llm_id_for_t2i = t2i, art_style_keyword = "动漫", character_description = "银发少女",
        personality = "冷静", reference_image_description = "蓝色斗篷",
    };

    private async Task<List<(string Route, string? ChatId, string Status, long Charged)>> CallsAsync(string userId)
    {
        await app.Services.GetRequiredService<CallLogStore>().FlushAsync();
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        return (await c.QueryAsync<(string, string?, string, long)>(
            "SELECT route, chat_id, status, charged FROM calls WHERE user_id = @userId ORDER BY started_at", new { userId })).ToList();
    }

    private string LastImagePrompt(int before) =>
        JsonNode.Parse(app.Aggregator.Requests.Skip(before).Single(r => r.Path == "/v1/images/generations").Body)!["prompt"]!.GetValue<string>();

    [Fact]
    public async Task An_avatar_prompt_is_written_from_the_template_drawn_stored_and_both_calls_billed_and_linked()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var (chatBefore, imagesBefore) = (app.DashScope.Requests.Count, app.Aggregator.Requests.Count);
        app.DashScope.QueuedReplies.Enqueue("```\nanime portrait of a calm silver-haired girl in a blue cloak\n```");
        var r = await w.Http.PostAsJsonAsync(Avatar, AvatarBody());
        var json = await StoryFixtures.Json(r, HttpStatusCode.OK);

        var asked = JsonNode.Parse(app.DashScope.Requests.Skip(chatBefore).Single().Body)!;
        Assert.Equal("qwen-plus-upstream", asked["model"]!.GetValue<string>());
        var text = asked["messages"]![0]!["content"]!.GetValue<string>();
        Assert.All((string[])["Art style: 动漫", "Description: 银发少女", "Personality: 冷静", "Reference image: 蓝色斗篷"], part => Assert.Contains(part, text));

        const string Prompt = "anime portrait of a calm silver-haired girl in a blue cloak";
        Assert.Equal(Prompt, json.GetProperty("image_prompt").GetString());
        Assert.Equal(Prompt, LastImagePrompt(imagesBefore));
        var url = json.GetProperty("image_url").GetString()!;
        Assert.StartsWith("https://cdn.story.example.com/api/v1/images/", url);
        Assert.Equal(url, json.GetProperty("icon_url").GetString());
        var stored = await app.CreateClient().GetByteArrayAsync(new Uri(url).AbsolutePath);
        Assert.Contains(stored, app.Aggregator.Files.Values);
        var sent = JsonNode.Parse(app.Aggregator.Requests.Skip(imagesBefore).Single(q => q.Path == "/v1/images/generations").Body)!;
        Assert.Equal(("flux-schnell-1", "1024x1024"), (sent["model"]!.GetValue<string>(), sent["size"]!.GetValue<string>()));

        // The prompt: 30 in + 12 out at 1000/1K × 2.0 = 84; the image: 50 × 2.0 = 100.
        Assert.Equal(184, balance - await app.BalanceAsync(w.UserId));
        Assert.Equal(await app.BalanceAsync(w.UserId), await app.LedgerSumAsync(w.UserId));
        var calls = await CallsAsync(w.UserId);
        Assert.Equal([(Avatar, "succeeded", 84L), (Avatar, "succeeded", 100L)], calls.Select(c => (c.Route, c.Status, c.Charged)).Order());
        Assert.All(calls, c => Assert.Equal(json.GetProperty("generation_id").GetString(), c.ChatId));
    }

    [Fact]
    public async Task A_failing_image_vendor_refunds_the_image_and_keeps_the_prompts_charge()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        app.Aggregator.Mode = FakeMode.Fail;
        try
        {
            var r = await w.Http.PostAsJsonAsync(Avatar, AvatarBody());
            Assert.Equal(HttpStatusCode.BadGateway, r.StatusCode);
            Assert.True((await StoryFixtures.Json(r, HttpStatusCode.BadGateway)).TryGetProperty("detail", out _));
        }
        finally
        {
            app.Aggregator.Mode = FakeMode.Normal;
        }
        Assert.Equal(84, balance - await app.BalanceAsync(w.UserId));
        Assert.Equal(await app.BalanceAsync(w.UserId), await app.LedgerSumAsync(w.UserId));
        Assert.Equal(0, await app.HoldCountAsync(w.UserId));
        Assert.Equal([("failed", 0L), ("succeeded", 84L)], (await CallsAsync(w.UserId)).Select(c => (c.Status, c.Charged)).Order());
    }

    [Fact]
    public async Task A_failing_prompt_model_draws_nothing_and_charges_nothing()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var imagesBefore = app.Aggregator.Requests.Count;
        app.DashScope.Mode = FakeMode.Fail;
        try
        {
            Assert.Equal(HttpStatusCode.BadGateway, (await w.Http.PostAsJsonAsync(Avatar, AvatarBody())).StatusCode);
        }
        finally
        {
            app.DashScope.Mode = FakeMode.Normal;
        }
        Assert.Equal(imagesBefore, app.Aggregator.Requests.Count);
        Assert.Equal(balance, await app.BalanceAsync(w.UserId));
        Assert.Equal(balance, await app.LedgerSumAsync(w.UserId));
        Assert.Equal(0, await app.HoldCountAsync(w.UserId));
    }

    [Theory]
    [InlineData("no-such-model", "302/flux-schnell-1")]
    [InlineData("302/flux-schnell-1", "302/flux-schnell-1")]
    [InlineData("story-chat", "story-chat")]
    [InlineData("story-chat", "302/flux-off")]
    public async Task Wrong_models_are_400_before_any_vendor_call(string prompt, string t2i)
    {
        var w = await app.NewWalletAsync();
        var before = app.DashScope.Requests.Count + app.Aggregator.Requests.Count;
        var r = await w.Http.PostAsJsonAsync(Avatar, AvatarBody(prompt, t2i));
        Assert.Contains("is not available", (await StoryFixtures.Json(r, HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        Assert.Equal(before, app.DashScope.Requests.Count + app.Aggregator.Requests.Count);
    }

    [Fact]
    public async Task Avatar_fields_are_checked_in_fastapi_shape()
    {
        var w = await app.NewWalletAsync();
        var missing = await StoryFixtures.Json(await w.Http.PostAsJsonAsync(Avatar, new { llm_id_for_prompt = "story-chat" }), HttpStatusCode.UnprocessableEntity);
        var fields = missing.GetProperty("detail").EnumerateArray().Select(d => d.GetProperty("loc")[1].GetString()).ToList();
        Assert.Contains("llm_id_for_t2i", fields);
        Assert.Contains("character_description", fields);
        var size = await w.Http.PostAsJsonAsync(Avatar, new { llm_id_for_prompt = "story-chat", llm_id_for_t2i = "302/flux-schnell-1", character_description = "x", size = "64*64" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, size.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync(Avatar, AvatarBody())).StatusCode);
    }

    [Fact]
    public async Task A_story_background_is_written_and_drawn_with_the_configured_models_in_portrait()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var (chatBefore, imagesBefore) = (app.DashScope.Requests.Count, app.Aggregator.Requests.Count);
        app.DashScope.QueuedReplies.Enqueue("\"a rainy alley at night, watercolor\"");
        var json = await StoryFixtures.Json(await w.Http.PostAsJsonAsync(Background, new { style_keyword = "水彩", background_description = "雨夜的小巷" }), HttpStatusCode.OK);

        var text = JsonNode.Parse(app.DashScope.Requests.Skip(chatBefore).Single().Body)!["messages"]![0]!["content"]!.GetValue<string>();
        Assert.Contains("Style: 水彩", text);
        Assert.Contains("Scene: 雨夜的小巷", text);
        Assert.Equal("a rainy alley at night, watercolor", json.GetProperty("image_prompt").GetString());
        Assert.Equal("a rainy alley at night, watercolor", LastImagePrompt(imagesBefore));
        var sent = JsonNode.Parse(app.Aggregator.Requests.Skip(imagesBefore).Single(q => q.Path == "/v1/images/generations").Body)!;
        Assert.Equal("720x1280", sent["size"]!.GetValue<string>());
        Assert.Contains(await app.CreateClient().GetByteArrayAsync(new Uri(json.GetProperty("image_url").GetString()!).AbsolutePath), app.Aggregator.Files.Values);

        Assert.Equal(184, balance - await app.BalanceAsync(w.UserId));
        Assert.Equal(await app.BalanceAsync(w.UserId), await app.LedgerSumAsync(w.UserId));
        var calls = await CallsAsync(w.UserId);
        Assert.Equal(2, calls.Count(c => c.Route == Background && c.ChatId == json.GetProperty("generation_id").GetString()));

        imagesBefore = app.Aggregator.Requests.Count;
        var chosen = await w.Http.PostAsJsonAsync(Background, new { background_description = "雪山", llm_id_for_t2i = "302/flux-dev-1", size = "1280*720" });
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        sent = JsonNode.Parse(app.Aggregator.Requests.Skip(imagesBefore).Single(q => q.Path == "/v1/images/generations").Body)!;
        Assert.Equal(("flux-dev", "1280x720"), (sent["model"]!.GetValue<string>(), sent["size"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Background_errors_keep_openai_shape_and_a_failure_is_refunded()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var missing = await w.Http.PostAsJsonAsync(Background, new { style_keyword = "水彩" });
        Assert.True((await StoryFixtures.Json(missing, HttpStatusCode.BadRequest)).TryGetProperty("error", out _));
        var anonymous = await app.CreateClient().PostAsJsonAsync(Background, new { background_description = "x" });
        Assert.Equal("unauthorized", (await StoryFixtures.Json(anonymous, HttpStatusCode.Unauthorized)).GetProperty("error").GetProperty("code").GetString());

        app.Aggregator.Mode = FakeMode.Fail;
        try
        {
            Assert.Equal(HttpStatusCode.BadGateway, (await w.Http.PostAsJsonAsync(Background, new { background_description = "x" })).StatusCode);
        }
        finally
        {
            app.Aggregator.Mode = FakeMode.Normal;
        }
        Assert.Equal(84, balance - await app.BalanceAsync(w.UserId));
        Assert.Equal(await app.BalanceAsync(w.UserId), await app.LedgerSumAsync(w.UserId));
        Assert.Equal(0, await app.HoldCountAsync(w.UserId));
    }

    [Theory]
    [InlineData("  plain prompt  ", "plain prompt")]
    [InlineData("```text\nfenced\n```", "fenced")]
    [InlineData("“quoted”", "quoted")]
    [InlineData("```", "")]
    public void The_prompt_is_taken_out_of_fences_and_quotes(string answer, string prompt) =>
        Assert.Equal(prompt, Ihui.Features.Story.PromptedImages.PromptedImageMaker.Clean(answer));
}
