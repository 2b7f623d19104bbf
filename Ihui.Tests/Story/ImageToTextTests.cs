using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Tests.Fakes;

namespace Ihui.Tests.Story;

/// <summary>Seed 003's image-to-text route: the image parts reach the vendor, the answer is OpenAI's, billed and logged; wrong models and failures.</summary>
public sealed class ImageToTextTests(StoryChatApp app) : IClassFixture<StoryChatApp>
{
    private const string Route = "/api/v1/ai/i2t/chat/completions";

    private static object Body(string model, bool stream = false) => new
    {
        model_id = model, stream,
        messages = new object[]
        {
            new
            {
                role = "user",
                content = new object[]
                {
                    new { type = "text", text = "描述图片" },
                    new { type = "image_url", image_url = new { url = "https://cdn.story.example.com/api/v1/images/a.png" } },
                },
            },
        },
    };

    [Fact]
    public async Task An_i2t_model_answers_in_openai_shape_with_the_image_sent_to_the_vendor_billed_and_logged()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var before = app.DashScope.Requests.Count;
        var r = await w.Http.PostAsJsonAsync(Route, Body("qwen-vl-plus-1"));
        var json = await StoryFixtures.Json(r, HttpStatusCode.OK);
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal("qwen-vl-plus-1", json.GetProperty("model").GetString());
        Assert.Equal("assistant", json.GetProperty("choices")[0].GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(app.DashScope.Reply, json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(42, json.GetProperty("usage").GetProperty("total_tokens").GetInt64());

        var sent = JsonNode.Parse(app.DashScope.Requests.Skip(before).Single().Body)!;
        Assert.Equal("qwen-vl-plus", sent["model"]!.GetValue<string>());
        var parts = sent["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("image_url", parts[1]!["type"]!.GetValue<string>());
        Assert.Equal("https://cdn.story.example.com/api/v1/images/a.png", parts[1]!["image_url"]!["url"]!.GetValue<string>());

        // 30 in + 12 out at 1000/1K × 2.0.
        Assert.Equal(84, balance - await app.BalanceAsync(w.UserId));
        Assert.Equal("84", r.Headers.GetValues("X-Ihui-Charged").Single());
        var call = (await app.CallsAsync(w.UserId)).Single(c => c.Route == Route);
        Assert.Equal(("succeeded", "dashscope", "qwen-vl-plus-1", 84L), (call.Status, call.Vendor, call.Model, call.Charged));
        Assert.Equal(await app.BalanceAsync(w.UserId), await app.LedgerSumAsync(w.UserId));
    }

    [Theory]
    [InlineData("no-such-model")]
    [InlineData("story-chat")]
    [InlineData("302/flux-schnell-1")]
    public async Task An_unknown_or_non_i2t_model_is_invalid_model_without_a_vendor_call(string model)
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var before = app.DashScope.Requests.Count + app.Aggregator.Requests.Count;
        var r = await w.Http.PostAsJsonAsync(Route, Body(model));
        var error = (await StoryFixtures.Json(r, HttpStatusCode.BadRequest)).GetProperty("error");
        Assert.Equal("invalid_model", error.GetProperty("code").GetString());
        Assert.Contains(model, error.GetProperty("message").GetString());
        Assert.Equal(before, app.DashScope.Requests.Count + app.Aggregator.Requests.Count);
        Assert.Equal(balance, await app.BalanceAsync(w.UserId));
    }

    [Fact]
    public async Task Bad_bodies_and_missing_tokens_are_openai_errors()
    {
        var w = await app.NewWalletAsync();
        var stream = await w.Http.PostAsJsonAsync(Route, Body("qwen-vl-plus-1", stream: true));
        Assert.Contains("stream", (await StoryFixtures.Json(stream, HttpStatusCode.BadRequest)).GetProperty("error").GetProperty("message").GetString());
        var badPart = await w.Http.PostAsJsonAsync(Route, new { model_id = "qwen-vl-plus-1", messages = new[] { new { role = "user", content = new[] { new { type = "image_url", image_url = 3 } } } } });
        Assert.Equal(HttpStatusCode.BadRequest, badPart.StatusCode);
        var anonymous = await app.CreateClient().PostAsJsonAsync(Route, Body("qwen-vl-plus-1"));
        Assert.Equal("unauthorized", (await StoryFixtures.Json(anonymous, HttpStatusCode.Unauthorized)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_failing_vendor_is_refunded_in_full()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        app.DashScope.Mode = FakeMode.Fail;
        try
        {
            var r = await w.Http.PostAsJsonAsync(Route, Body("qwen-vl-plus-1"));
            Assert.Equal(HttpStatusCode.BadGateway, r.StatusCode);
        }
        finally
        {
            app.DashScope.Mode = FakeMode.Normal;
        }
        Assert.Equal(balance, await app.BalanceAsync(w.UserId));
        Assert.Equal(balance, await app.LedgerSumAsync(w.UserId));
        Assert.Equal(0, await app.HoldCountAsync(w.UserId));
        var call = (await app.CallsAsync(w.UserId)).Single(c => c.Route == Route);
        Assert.Equal(("failed", 502, 0L), (call.Status, call.ErrorCode, call.Charged));
    }
}
