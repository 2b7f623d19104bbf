using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Models;
using Microsoft.Extensions.Configuration;

namespace Ihui.Tests.Story;

/// <summary>Seed 003's model registry: listing, the least-used pick under concurrency, registry parameters, the 302.AI route, the admin console.</summary>
public sealed class ModelRegistryTests(StoryChatApp app) : IClassFixture<StoryChatApp>
{
    private static async Task<JsonElement> Json(HttpResponseMessage r) => await r.Content.ReadFromJsonAsync<JsonElement>();

    private static List<string> Ids(JsonElement list) => list.EnumerateArray().Select(m => m.GetProperty("llm_id").GetString()!).ToList();

    [Fact]
    public async Task Models_are_listed_by_type_and_id_with_their_parameters()
    {
        var w = await app.NewWalletAsync();
        var all = await w.Http.GetAsync("/api/v1/ai/models");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var ids = Ids(await Json(all));
        Assert.Contains("story-chat", ids);
        Assert.Contains("qwen-vl-plus-1", ids);
        Assert.DoesNotContain("302/flux-off", ids);

        var t2i = await Json(await w.Http.GetAsync("/api/v1/ai/models?type=t2i"));
        Assert.Equal(StoryChatApp.TextToImage.Order(), Ids(t2i).Where(StoryChatApp.TextToImage.Contains).Order());
        Assert.All(t2i.EnumerateArray(), m => Assert.Equal("t2i", m.GetProperty("type").GetString()));
        var dev = t2i.EnumerateArray().Single(m => m.GetProperty("llm_id").GetString() == "302/flux-dev-1");
        Assert.Equal("302ai", dev.GetProperty("vendor").GetString());
        Assert.Equal("flux-dev", dev.GetProperty("model_name").GetString());
        Assert.Equal("flux-schnell-1", t2i.EnumerateArray().Single(m => m.GetProperty("llm_id").GetString() == "302/flux-schnell-1").GetProperty("model_name").GetString());

        var one = (await Json(await w.Http.GetAsync("/api/v1/ai/models?llm_id=story-chat"))).EnumerateArray().Single();
        Assert.Equal("chat", one.GetProperty("type").GetString());
        Assert.Equal(1.5, one.GetProperty("parameters").GetProperty("temperature").GetDouble());
        Assert.True(one.GetProperty("enabled").GetBoolean());
        Assert.Empty((await Json(await w.Http.GetAsync("/api/v1/ai/models?type=i2t&llm_id=story-chat"))).EnumerateArray());
    }

    [Fact]
    public async Task Bad_type_and_missing_token_answer_in_openai_shape()
    {
        var w = await app.NewWalletAsync();
        var bad = await w.Http.GetAsync("/api/v1/ai/models?type=video");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("chat, other, t2i, i2t", (await Json(bad)).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await w.Http.GetAsync("/api/v1/ai/models/least-used/video")).StatusCode);
        var anonymous = await app.CreateClient().GetAsync("/api/v1/ai/models/least-used/t2i");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("unauthorized", (await Json(anonymous)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Least_used_rotates_and_spreads_concurrent_callers_evenly()
    {
        var w = await app.NewWalletAsync();
        // The i2t type has one model: every pick is it, and each pick moves its mark forward.
        var first = await Json(await w.Http.GetAsync("/api/v1/ai/models/least-used/i2t"));
        var second = await Json(await w.Http.GetAsync("/api/v1/ai/models/least-used/i2t"));
        Assert.Equal("qwen-vl-plus-1", first.GetProperty("llm_id").GetString());
        Assert.True(string.CompareOrdinal(second.GetProperty("last_used_at").GetString(), first.GetProperty("last_used_at").GetString()) > 0);

        // t2i: three models (other tests may add more); 3 × n concurrent picks take each model n times.
        var models = Ids(await Json(await w.Http.GetAsync("/api/v1/ai/models?type=t2i")));
        var rounds = 8;
        var picks = await Task.WhenAll(Enumerable.Range(0, models.Count * rounds).Select(async _ =>
        {
            var r = await w.Http.GetAsync("/api/v1/ai/models/least-used/t2i");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return (await Json(r)).GetProperty("llm_id").GetString()!;
        }));
        var counts = picks.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(models.Order(), counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.Equal(rounds, c));
        Assert.Equal(models.Count, await app.ScalarAsync<long>("SELECT COUNT(*) FROM models WHERE type = 't2i' AND enabled = 1 AND last_used_at IS NOT NULL"));
    }

    [Fact]
    public async Task Chat_completions_apply_the_registry_parameters_unless_the_request_sets_them()
    {
        var w = await app.NewWalletAsync();
        var before = app.DashScope.Requests.Count;
        var r = await w.Http.PostAsJsonAsync("/api/v1/llm/chat/completions", new { model_id = "story-chat", messages = new[] { new { role = "user", content = "你好" } } });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var sent = JsonNode.Parse(app.DashScope.Requests.Skip(before).Last().Body)!;
        Assert.Equal("qwen-plus-upstream", sent["model"]!.GetValue<string>());
        Assert.Equal(1.5, sent["temperature"]!.GetValue<double>());
        Assert.Equal(300, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.4, sent["presence_penalty"]!.GetValue<double>());

        before = app.DashScope.Requests.Count;
        r = await w.Http.PostAsJsonAsync("/api/v1/llm/chat/completions",
            new { model_id = "story-chat", temperature = 0.2, messages = new[] { new { role = "user", content = "你好" } } });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        sent = JsonNode.Parse(app.DashScope.Requests.Skip(before).Last().Body)!;
        Assert.Equal(0.2, sent["temperature"]!.GetValue<double>());
        Assert.Equal(300, sent["max_tokens"]!.GetValue<int>());

        // "other" models are served here too; a t2i model is not a chat model.
        r = await w.Http.PostAsJsonAsync("/api/v1/llm/chat/completions", new { model_id = "story-other", messages = new[] { new { role = "user", content = "hi" } } });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        r = await w.Http.PostAsJsonAsync("/api/v1/llm/chat/completions", new { model_id = "302/flux-schnell-1", messages = new[] { new { role = "user", content = "hi" } } });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("invalid_model", (await Json(r)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Aggregator_ids_route_to_302_with_its_key_and_a_failure_is_refunded()
    {
        var w = await app.NewWalletAsync();
        var balance = await app.BalanceAsync(w.UserId);
        var r = await w.Http.PostAsJsonAsync("/api/v1/llm/chat/completions", new { model_id = "302/gpt-4o-mini", messages = new[] { new { role = "user", content = "hi" } } });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("来自302的回答。", (await Json(r)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var sent = app.Aggregator.Requests.Last();
        Assert.Equal("Bearer " + StoryChatApp.Ai302Key, sent.Headers["Authorization"]);
        Assert.Equal("gpt-4o-mini", JsonNode.Parse(sent.Body)!["model"]!.GetValue<string>());
        var charged = balance - await app.BalanceAsync(w.UserId);
        Assert.Equal((30 + 12) * 2, charged);

        app.Aggregator.Mode = Fakes.FakeMode.Fail;
        try
        {
            var failed = await w.Http.PostAsJsonAsync("/api/v1/llm/chat/completions", new { model_id = "302/gpt-4o-mini", messages = new[] { new { role = "user", content = "hi" } } });
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }
        finally
        {
            app.Aggregator.Mode = Fakes.FakeMode.Normal;
        }
        Assert.Equal(balance - charged, await app.BalanceAsync(w.UserId));
        Assert.Equal(await app.BalanceAsync(w.UserId), await app.LedgerSumAsync(w.UserId));
        Assert.Equal(0, await app.HoldCountAsync(w.UserId));
    }

    [Fact]
    public async Task The_admin_console_adds_changes_and_disables_models()
    {
        var w = await app.NewWalletAsync();
        var added = await app.AdminPostAsync("/admin/models",
            new { llm_id = "302/flux-admin", type = "i2t", parameters = new { temperature = 0.7 } });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var listed = (await Json(await w.Http.GetAsync("/api/v1/ai/models?llm_id=302/flux-admin"))).EnumerateArray().Single();
        Assert.Equal("302ai", listed.GetProperty("vendor").GetString());
        Assert.Equal("flux-admin", listed.GetProperty("model_name").GetString());
        Assert.Equal(0.7, listed.GetProperty("parameters").GetProperty("temperature").GetDouble());

        Assert.Equal(HttpStatusCode.OK, (await app.AdminPostAsync("/admin/models",
            new { llm_id = "302/flux-admin", type = "i2t", vendor = "dashscope", model_name = "qwen-vl-max", enabled = false })).StatusCode);
        Assert.Empty((await Json(await w.Http.GetAsync("/api/v1/ai/models?llm_id=302/flux-admin"))).EnumerateArray());
        Assert.Equal("dashscope", await app.ScalarAsync<string>("SELECT vendor FROM models WHERE name = '302/flux-admin'"));
        Assert.Equal("qwen-vl-max", await app.ScalarAsync<string>("SELECT upstream_model FROM models WHERE name = '302/flux-admin'"));
        Assert.Equal(0, await app.ScalarAsync<long>("SELECT enabled FROM models WHERE name = '302/flux-admin'"));
        Assert.Equal(2, await app.ScalarAsync<long>("SELECT COUNT(*) FROM admin_audit WHERE action = 'model' AND target = '302/flux-admin'"));

        Assert.Equal(HttpStatusCode.BadRequest, (await app.AdminPostAsync("/admin/models", new { llm_id = "x", type = "chat", vendor = "nowhere" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.AdminPostAsync("/admin/models", new { llm_id = "x", type = "chat" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.AdminPostAsync("/admin/models", new { llm_id = "x", vendor = "dashscope", parameters = new[] { 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.AdminPostAsync("/admin/models", new { llm_id = "x", vendor = "dashscope", type = "video" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AdminPostAsync("/admin/models", new { llm_id = "x", vendor = "dashscope" }, "not-a-token")).StatusCode);
    }

    [Theory]
    [InlineData("Type", "video")]
    [InlineData("Parameters", "[1,2]")]
    [InlineData("Parameters", "{not json")]
    public void A_bad_configured_model_stops_the_start_naming_the_setting(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Models:m1:Vendor"] = "dashscope", [$"Models:m1:{key}"] = value,
        }).Build();
        var e = Assert.Throws<InvalidSettingException>(() => ModelCatalog.CheckConfigured(configuration));
        Assert.Contains($"Models:m1:{key}", e.Message);
    }
}
