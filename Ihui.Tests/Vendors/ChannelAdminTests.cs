using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Ihui.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using static Ihui.Tests.Infrastructure.ChannelTesting;

namespace Ihui.Tests.Vendors;

/// <summary>The admin routes of channels: create, list, update, test, disable; keys never shown in full; bad input refused.</summary>
public sealed class ChannelAdminTests(ChannelsApp app) : IClassFixture<ChannelsApp>, IAsyncLifetime
{
    private const string Chat = "/v1/chat/completions";

    public Task InitializeAsync()
    {
        app.ResetFakes();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        app.ResetFakes();
        await app.SetChannelsAsync();
    }

    private static object Body() => new { model = "test-deepseek", messages = new object[] { new { role = "user", content = "你好！" } } };

    private async Task<HttpClient> UserAsync()
    {
        var user = await app.CreateUserAsync(1_000_000);
        return app.KeyClient((await app.CreateKeyAsync(user.Id)).Secret);
    }

    private async Task<JsonElement> CreateAsync(string name, FakeVendor fake, string key, int priority = 10, int weight = 1, object? models = null) =>
        await DataAsync(await app.AdminAsync(HttpMethod.Post, "/admin/channels", new
        {
            vendor = "deepseek", name, base_url = fake.BaseUrl, api_key = key, priority, weight, models,
        }));

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? fragment = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, json.GetProperty("code").GetInt32());
        if (fragment is not null) Assert.Contains(fragment, json.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task A_created_channel_takes_calls_at_once_and_its_key_is_never_shown_nor_stored_in_the_clear()
    {
        var logs = app.Logs.Lines.Count;
        var bodies = new List<string>();

        var created = await CreateAsync("b", app.B, ChannelsApp.KeyB);
        bodies.Add(created.GetRawText());
        Assert.Equal(("deepseek", "b", "admin", "****6789", true, "closed"), (created.GetProperty("vendor").GetString(), created.GetProperty("name").GetString(),
            created.GetProperty("source").GetString(), created.GetProperty("api_key").GetString(), created.GetProperty("enabled").GetBoolean(),
            created.GetProperty("health").GetString()));
        var id = created.GetProperty("id").GetString()!;

        Assert.Equal("B answers.", JsonDocument.Parse(await (await (await UserAsync()).PostAsJsonAsync(Chat, Body())).Content.ReadAsStringAsync())
            .RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Single(app.B.Received);
        Assert.Empty(app.DeepSeek.Received);

        var list = await DataAsync(await app.AdminAsync(HttpMethod.Get, "/admin/channels"));
        bodies.Add(list.GetRawText());
        var channels = list.EnumerateArray().ToList();
        var env = Assert.Single(channels, c => c.GetProperty("vendor").GetString() == "deepseek" && c.GetProperty("source").GetString() == "environment");
        Assert.Equal(("env-deepseek", "default", app.DeepSeek.BaseUrl, "****6789"), (env.GetProperty("id").GetString(), env.GetProperty("name").GetString(),
            env.GetProperty("base_url").GetString(), env.GetProperty("api_key").GetString()));
        Assert.Contains(channels, c => c.GetProperty("id").GetString() == id && c.GetProperty("priority").GetInt32() == 10);
        Assert.Contains(channels, c => c.GetProperty("vendor").GetString() == "dashscope"); // every routed vendor's default channel

        bodies.Add(await (await app.AdminAsync(HttpMethod.Patch, $"/admin/channels/{id}", new { api_key = ChannelsApp.KeyB, weight = 5 })).Content.ReadAsStringAsync());
        bodies.Add(await (await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{id}/test", new { model = "deepseek-chat" })).Content.ReadAsStringAsync());
        bodies.Add(await (await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{id}/disable", new { reason = "maintenance" })).Content.ReadAsStringAsync());

        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        var stored = await c.QuerySingleAsync<string>("SELECT credential FROM channels WHERE id = @id", new { id });
        Assert.DoesNotContain(ChannelsApp.KeyB, stored);
        Assert.DoesNotContain("0123456789", stored);
        var audit = string.Join("\n", await c.QueryAsync<string>("SELECT COALESCE(detail, '') FROM admin_audit WHERE target = 'deepseek/b'"));
        Assert.Contains("weight=5", audit);
        Assert.Contains("maintenance", audit);
        Leaks.AssertClean(string.Join("\n", bodies.Append(audit).Concat(app.Logs.Lines.Skip(logs))), ChannelsApp.KeyB, OpenAiApiApp.DeepSeekKey);
    }

    [Fact]
    public async Task Updates_change_routing_and_the_default_channel_keeps_its_environment_settings()
    {
        var b = (await CreateAsync("b", app.B, ChannelsApp.KeyB, priority: 10)).GetProperty("id").GetString()!;
        var http = await UserAsync();

        // The default channel above B: calls go to it.
        var env = await DataAsync(await app.AdminAsync(HttpMethod.Patch, "/admin/channels/env-deepseek", new { priority = 20 }));
        Assert.Equal(20, env.GetProperty("priority").GetInt32());
        (await http.PostAsJsonAsync(Chat, Body())).EnsureSuccessStatusCode();
        Assert.Single(app.DeepSeek.Received);

        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Patch, "/admin/channels/env-deepseek", new { api_key = "sk-other-0123456789" }),
            HttpStatusCode.BadRequest, "environment");

        // Disabled by an admin: B takes the calls; re-enabled: the default again.
        var disabled = await DataAsync(await app.AdminAsync(HttpMethod.Post, "/admin/channels/env-deepseek/disable", new { reason = "key rotation" }));
        Assert.Equal((false, "disabled by an admin: key rotation"), (disabled.GetProperty("enabled").GetBoolean(), disabled.GetProperty("disabled_reason").GetString()));
        (await http.PostAsJsonAsync(Chat, Body())).EnsureSuccessStatusCode();
        Assert.Single(app.B.Received);
        var enabled = await DataAsync(await app.AdminAsync(HttpMethod.Patch, "/admin/channels/env-deepseek", new { enabled = true }));
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabled_reason").ValueKind);
        (await http.PostAsJsonAsync(Chat, Body())).EnsureSuccessStatusCode();
        Assert.Equal(2, app.DeepSeek.Received.Length);

        // B limited to another model: it no longer serves test-deepseek's deepseek-chat, even as the top priority.
        await DataAsync(await app.AdminAsync(HttpMethod.Patch, $"/admin/channels/{b}", new { priority = 30, models = new Dictionary<string, string?> { ["deepseek-reasoner"] = null } }));
        (await http.PostAsJsonAsync(Chat, Body())).EnsureSuccessStatusCode();
        Assert.Equal(3, app.DeepSeek.Received.Length);
        var all = await DataAsync(await app.AdminAsync(HttpMethod.Patch, $"/admin/channels/{b}", new { all_models = true }));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("models").ValueKind);
        (await http.PostAsJsonAsync(Chat, Body())).EnsureSuccessStatusCode();
        Assert.Equal(2, app.B.Received.Length);

        // Every channel of the vendor off: a 503 that says so.
        await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{b}/disable");
        await app.AdminAsync(HttpMethod.Post, "/admin/channels/env-deepseek/disable");
        var none = await http.PostAsJsonAsync(Chat, Body());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, none.StatusCode);
        Assert.Contains("no enabled deepseek channel", await none.Content.ReadAsStringAsync());
        await app.AdminAsync(HttpMethod.Patch, "/admin/channels/env-deepseek", new { enabled = true, priority = 0 });
    }

    [Fact]
    public async Task A_test_makes_one_real_call_and_a_refused_key_disables_the_channel()
    {
        var good = (await CreateAsync("b", app.B, ChannelsApp.KeyB, models: new Dictionary<string, string?> { ["deepseek-chat"] = "b-chat" })).GetProperty("id").GetString()!;
        var bad = (await CreateAsync("c", app.C, "sk-not-cs-key-0123456789")).GetProperty("id").GetString()!;

        var ok = await DataAsync(await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{good}/test"));
        Assert.Equal((true, "deepseek-chat", "B answers."), (ok.GetProperty("ok").GetBoolean(), ok.GetProperty("model").GetString(), ok.GetProperty("reply").GetString()));
        Assert.Equal("b-chat", JsonDocument.Parse(Assert.Single(app.B.Received).Body).RootElement.GetProperty("model").GetString());

        // A vendor that answers with the key it was sent: the reply shown to the admin is scrubbed of it.
        var reply = app.B.Reply;
        app.B.Reply = $"you sent Bearer {ChannelsApp.KeyB}";
        var echoed = (await DataAsync(await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{good}/test"))).GetProperty("reply").GetString()!;
        app.B.Reply = reply;
        Assert.DoesNotContain(ChannelsApp.KeyB, echoed);
        Assert.StartsWith("you sent ", echoed);
        app.B.Reset();

        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{bad}/test"), HttpStatusCode.BadRequest, "model");
        var refused = await DataAsync(await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{bad}/test", new { model = "deepseek-chat" }));
        Assert.False(refused.GetProperty("ok").GetBoolean());
        Assert.Equal(502, refused.GetProperty("status").GetInt32());
        Assert.Contains("credentials of channel 'c'", refused.GetProperty("error").GetString());
        Assert.False(refused.GetProperty("channel").GetProperty("enabled").GetBoolean());
        Assert.Contains("refused the credentials", refused.GetProperty("channel").GetProperty("disabled_reason").GetString());
        Assert.Single(app.C.Received);
        Assert.Empty(app.DeepSeek.Received);

        // Failing vendor: reported, not thrown; the channel stays enabled.
        (app.B.Mode, app.B.FailStatus) = (FakeMode.Fail, 503);
        var down = await DataAsync(await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{good}/test"));
        Assert.Equal((false, 502, true), (down.GetProperty("ok").GetBoolean(), down.GetProperty("status").GetInt32(),
            down.GetProperty("channel").GetProperty("enabled").GetBoolean()));
    }

    public static TheoryData<string, string, string> BadCreates => new()
    {
        { """{"vendor":"openai","name":"x","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd"}""", "vendor", "must be one of" },
        { """{"vendor":"deepseek","name":"default","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd"}""", "name", "default" },
        { """{"vendor":"deepseek","name":"has space","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd"}""", "name", "letters" },
        { """{"vendor":"deepseek","name":"x","base_url":"ftp://127.0.0.1:9","api_key":"sk-0123456789abcd"}""", "base_url", "http" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://u:p@127.0.0.1:9","api_key":"sk-0123456789abcd"}""", "base_url", "user info" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://127.0.0.1:9"}""", "api_key", "api_key" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://127.0.0.1:9","api_key":"sk 0123"}""", "api_key", "printable" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd","weight":0}""", "weight", "weight" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd","priority":5000}""", "priority", "priority" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd","timeout_seconds":0}""", "timeout", "timeout" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd","models":{}}""", "models", "models" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd","models":{"":"y"}}""", "models", "models" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd","models":["a"]}""", "json", "" },
        { """{"vendor":"deepseek","name":"x","base_url":"http://127.0.0.1:9","api_key":"sk-0123456789abcd","weight":"heavy"}""", "json", "" },
        { """{"vendor":"deepseek",""", "json", "" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task Bad_input_is_a_400_and_creates_nothing(string body, string field, string fragment)
    {
        _ = field;
        var before = (await DataAsync(await app.AdminAsync(HttpMethod.Get, "/admin/channels"))).GetArrayLength();

        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Post, "/admin/channels", body), HttpStatusCode.BadRequest, fragment.Length == 0 ? null : fragment);

        Assert.Equal(before, (await DataAsync(await app.AdminAsync(HttpMethod.Get, "/admin/channels"))).GetArrayLength());
    }

    [Fact]
    public async Task Unknown_ids_duplicates_empty_changes_and_missing_tokens_get_their_errors()
    {
        var id = (await CreateAsync("b", app.B, ChannelsApp.KeyB)).GetProperty("id").GetString()!;

        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Post, "/admin/channels", new
        {
            vendor = "deepseek", name = "b", base_url = app.C.BaseUrl, api_key = ChannelsApp.KeyC,
        }), HttpStatusCode.Conflict, "already has a channel named 'b'");
        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Patch, "/admin/channels/no-such-channel", new { weight = 2 }), HttpStatusCode.NotFound);
        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Post, "/admin/channels/no-such-channel/test", new { model = "m" }), HttpStatusCode.NotFound);
        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Post, "/admin/channels/no-such-channel/disable"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Patch, $"/admin/channels/{id}", new { }), HttpStatusCode.BadRequest, "at least one field");
        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Patch, $"/admin/channels/{id}", new { weight = -1 }), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Patch, $"/admin/channels/{id}", new { all_models = true, models = new { a = "b" } }), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Patch, $"/admin/channels/{id}", new { name = "default" }), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{id}/disable", new { reason = new string('r', 201) }), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await app.AdminAsync(HttpMethod.Post, $"/admin/channels/{id}/test", new { model = new string('m', 129) }), HttpStatusCode.BadRequest);

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/admin/channels"), (HttpMethod.Post, "/admin/channels"), (HttpMethod.Patch, $"/admin/channels/{id}"),
                     (HttpMethod.Post, $"/admin/channels/{id}/test"), (HttpMethod.Post, $"/admin/channels/{id}/disable") })
        {
            using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(new { weight = 2 }) };
            await AssertErrorAsync(await app.CreateClient().SendAsync(request), HttpStatusCode.Unauthorized);
            await AssertErrorAsync(await app.AdminAsync(method, path, method == HttpMethod.Get ? null : new { weight = 2 }, token: "not-a-token"), HttpStatusCode.Unauthorized);
        }
        var still = Assert.Single((await DataAsync(await app.AdminAsync(HttpMethod.Get, "/admin/channels"))).EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        Assert.Equal((1, true), (still.GetProperty("weight").GetInt32(), still.GetProperty("enabled").GetBoolean()));
    }
}
