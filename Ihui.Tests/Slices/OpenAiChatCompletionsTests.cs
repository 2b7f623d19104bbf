using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Ihui.Tests.Slices;

public sealed class OpenAiChatCompletionsTests(OpenAiApiApp app) : IClassFixture<OpenAiApiApp>, IDisposable
{
    private const string Route = "/v1/chat/completions";
    private const long Cost = 84; // (30 + 12) tokens at 1000/1K each, × 2.0

    public void Dispose()
    {
        app.DashScope.Reset();
        app.DeepSeek.Reset();
        app.DashScope.SendUsage = true;
    }

    private async Task<(string UserId, string Key)> UserWithKeyAsync(long balance = 100_000, string[]? models = null, long? quota = null)
    {
        var user = await app.CreateUserAsync(balance);
        var (_, key) = await app.CreateKeyAsync(user.Id, models, quota);
        return (user.Id, key);
    }

    private static object Body(string model = "test-qwen", bool stream = false, bool includeUsage = false) => new
    {
        model,
        messages = new object[] { new { role = "system", content = "你是一个有帮助的助手。" }, new { role = "user", content = "你好！" } },
        stream,
        stream_options = includeUsage ? new { include_usage = true } : null,
    };

    private static async Task<List<string>> EventsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => { Assert.StartsWith("data: ", e); return e["data: ".Length..]; }).ToList();
    }

    private async Task AssertMoneyConsistentAsync(string userId)
    {
        Assert.Equal(await app.BalanceAsync(userId), await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    private static async Task AssertOpenAiErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var error = (await IhuiApp.JsonAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
    }

    [Fact]
    public async Task The_official_OpenAI_client_completes_without_streaming()
    {
        var (userId, key) = await UserWithKeyAsync();
        var before = app.DashScope.Requests.Count;

        ChatCompletion completion = await app.OpenAiChat("test-qwen", key).CompleteChatAsync([new UserChatMessage("你好！")]);

        Assert.Equal(app.DashScope.Reply, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("test-qwen", completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal((30, 12, 42), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount));
        Assert.Equal(100_000 - Cost, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);

        var sent = app.DashScope.Received.Skip(before).Single();
        Assert.Equal($"Bearer {IhuiApp.DashScopeKey}", sent.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("qwen-plus-upstream", body.RootElement.GetProperty("model").GetString());
        Assert.DoesNotContain(key, sent.Body + string.Join(",", sent.Headers.Values));
    }

    [Fact]
    public async Task The_official_OpenAI_client_streams()
    {
        var (userId, key) = await UserWithKeyAsync();
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in app.OpenAiChat("test-qwen", key).CompleteChatStreamingAsync([new UserChatMessage("你好！")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(app.DashScope.Reply, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal((30, 12), (usage.InputTokenCount, usage.OutputTokenCount));
        Assert.Equal(100_000 - Cost, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);
    }

    [Fact]
    public async Task The_official_OpenAI_client_sees_errors_as_their_status()
    {
        var (_, key) = await UserWithKeyAsync();

        var invalid = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            app.OpenAiChat("no-such-model", key).CompleteChatAsync([new UserChatMessage("你好")]));
        Assert.Equal(400, invalid.Status);
        Assert.Contains("no-such-model", invalid.Message);

        var unauthorized = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(async () =>
        {
            await foreach (var _ in app.OpenAiChat("test-qwen", "sk-wrong").CompleteChatStreamingAsync([new UserChatMessage("你好")])) { }
        });
        Assert.Equal(401, unauthorized.Status);
    }

    [Fact]
    public async Task Non_stream_answer_has_OpenAIs_shape_and_the_charge_in_headers()
    {
        var (_, key) = await UserWithKeyAsync();

        var response = await app.KeyClient(key).PostAsJsonAsync(Route, Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", json.GetProperty("id").GetString());
        Assert.InRange(json.GetProperty("created").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.Equal("test-qwen", json.GetProperty("model").GetString());
        var choice = json.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(app.DashScope.Reply, choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = json.GetProperty("usage");
        Assert.Equal((30, 12, 42), (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));
        Assert.Equal(Cost.ToString(), response.Headers.GetValues("X-Ihui-Charged").Single());
        Assert.Equal((100_000 - Cost).ToString(), response.Headers.GetValues("X-Ihui-Balance").Single());
    }

    [Fact]
    public async Task Stream_is_OpenAI_SSE_with_a_usage_chunk_and_DONE()
    {
        var (userId, key) = await UserWithKeyAsync();

        var response = await app.KeyClient(key).PostAsJsonAsync(Route, Body(stream: true, includeUsage: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = await EventsAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var id = chunks[0].GetProperty("id").GetString();
        Assert.StartsWith("chatcmpl-", id);
        foreach (var chunk in chunks)
        {
            Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
            Assert.Equal(id, chunk.GetProperty("id").GetString());
            Assert.Equal("test-qwen", chunk.GetProperty("model").GetString());
            Assert.True(chunk.GetProperty("created").GetInt64() > 0);
        }
        var first = chunks[0].GetProperty("choices")[0];
        Assert.Equal("assistant", first.GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("finish_reason").ValueKind);

        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(42, usageChunk.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(30, usageChunk.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.All(chunks[..^1], c => Assert.False(c.TryGetProperty("usage", out _)));

        var text = string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : ""));
        Assert.Equal(app.DashScope.Reply, text);
        Assert.Equal(100_000 - Cost, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);
        var call = Assert.Single(await app.CallsAsync(userId));
        Assert.Equal(("succeeded", "dashscope", "test-qwen", Cost), (call.Status, call.Vendor, call.Model, call.Charged));
    }

    [Fact]
    public async Task Stream_without_include_usage_has_no_usage_chunk()
    {
        var (_, key) = await UserWithKeyAsync();

        var events = await EventsAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body(stream: true)));

        Assert.Equal("[DONE]", events[^1]);
        Assert.All(events[..^1], e => Assert.False(JsonDocument.Parse(e).RootElement.TryGetProperty("usage", out _)));
        Assert.All(events[..^1], e => Assert.True(JsonDocument.Parse(e).RootElement.GetProperty("choices").GetArrayLength() > 0));
    }

    [Fact]
    public async Task Vendor_without_usage_is_charged_an_estimate_and_the_usage_chunk_still_comes()
    {
        var (userId, key) = await UserWithKeyAsync();
        app.DashScope.SendUsage = false;

        var events = await EventsAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body(stream: true, includeUsage: true)));

        var usage = JsonDocument.Parse(events[^2]).RootElement.GetProperty("usage");
        Assert.Equal(Ihui.Features.Common.Billing.TokenCounter.Count(app.DashScope.Reply), usage.GetProperty("completion_tokens").GetInt64());
        var call = Assert.Single(await app.CallsAsync(userId));
        Assert.True(call.Charged > 0);
        Assert.Equal(100_000 - call.Charged, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);
    }

    [Theory]
    [InlineData("/llm/chat/completions")]
    [InlineData("/api/v1/llm/chat/completions")]
    public async Task Seed_003_route_takes_model_id(string route)
    {
        var (_, key) = await UserWithKeyAsync();
        var http = app.KeyClient(key);

        var response = await http.PostAsJsonAsync(route, new { model_id = "test-deepseek", messages = new[] { new { role = "user", content = "你好" } }, stream = false });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal("test-deepseek", json.GetProperty("model").GetString());
        Assert.Equal(app.DeepSeek.Reply, json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal($"Bearer {OpenAiApiApp.DeepSeekKey}", app.DeepSeek.Received.Last().Headers["Authorization"]);

        await AssertOpenAiErrorAsync(await app.CreateClient().PostAsJsonAsync(route, new { model_id = "test-deepseek", messages = new[] { new { role = "user", content = "x" } } }),
            HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("test-doubao", "doubao-seed-1-6-250615", "豆包在此。")]
    [InlineData("test-glm", "glm-4.5", "智谱在此。")]
    public async Task Ark_and_Zhipu_models_go_to_their_vendor_with_its_key(string model, string upstream, string reply)
    {
        var (userId, key) = await UserWithKeyAsync();
        var fake = model == "test-doubao" ? app.Ark : app.Zhipu;
        var vendorKey = model == "test-doubao" ? OpenAiApiApp.ArkKey : OpenAiApiApp.ZhipuKey;
        var before = fake.Requests.Count;

        var text = new StringBuilder();
        await foreach (var update in app.OpenAiChat(model, key).CompleteChatStreamingAsync([new UserChatMessage("你好")]))
            foreach (var part in update.ContentUpdate) text.Append(part.Text);

        Assert.Equal(reply, text.ToString());
        var sent = fake.Received.Skip(before).Single();
        Assert.Equal($"Bearer {vendorKey}", sent.Headers["Authorization"]);
        Assert.Equal(upstream, JsonDocument.Parse(sent.Body).RootElement.GetProperty("model").GetString());
        Assert.Equal(100_000 - Cost, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);
    }

    [Fact]
    public async Task The_official_OpenAI_client_lists_models()
    {
        var (_, key) = await UserWithKeyAsync(models: ["test-qwen", "test-glm"]);

        var models = (await app.OpenAi(key).GetOpenAIModelClient().GetModelsAsync()).Value;

        Assert.Equal(["test-glm", "test-qwen"], models.Select(m => m.Id).Order());
        Assert.All(models, m => Assert.NotNull(m.OwnedBy));
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_stream_pays_for_what_it_got()
    {
        var (userId, key) = await UserWithKeyAsync();
        app.DashScope.Mode = FakeMode.Slow;
        app.DashScope.Delay = TimeSpan.FromMilliseconds(300);
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = JsonContent.Create(Body(stream: true)) };
            var http = app.KeyClient(key);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64];
            Assert.True(await stream.ReadAsync(buffer) > 0);
            response.Dispose();

            CallRowView? call = null;
            for (var i = 0; i < 100 && call is null; i++)
            {
                await Task.Delay(100);
                call = (await app.CallsAsync(userId)).SingleOrDefault();
            }
            Assert.NotNull(call);
            Assert.Equal("cancelled", call.Status);
            Assert.InRange(call.Charged, 1, call.Reserved - 1);
            Assert.Equal(100_000 - call.Charged, await app.BalanceAsync(userId));
            await AssertMoneyConsistentAsync(userId);
        }
        finally
        {
            app.DashScope.Delay = TimeSpan.FromMilliseconds(50);
        }
    }

    [Fact]
    public async Task A_body_without_model_uses_QWEN_CHAT_MODEL()
    {
        var (_, key) = await UserWithKeyAsync();

        var response = await app.KeyClient(key).PostAsJsonAsync(Route, new { messages = new[] { new { role = "user", content = "你好！" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("test-qwen", (await IhuiApp.JsonAsync(response)).GetProperty("model").GetString());
    }

    [Fact]
    public async Task DeepSeek_reasoning_is_passed_through()
    {
        var (_, key) = await UserWithKeyAsync();
        app.DeepSeek.Reasoning = "先想一想。";
        try
        {
            var json = await IhuiApp.JsonAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body("test-deepseek")));
            Assert.Equal("先想一想。", json.GetProperty("choices")[0].GetProperty("message").GetProperty("reasoning_content").GetString());
        }
        finally
        {
            app.DeepSeek.Reasoning = null;
        }
    }

    [Fact]
    public async Task Gemini_models_answer_in_OpenAIs_shape_streamed_or_not()
    {
        var (userId, key) = await UserWithKeyAsync();

        var json = await IhuiApp.JsonAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body("test-gemini")));
        Assert.Equal(app.Gemini.Reply, json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(8, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(12, json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        var events = await EventsAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body("test-gemini", stream: true, includeUsage: true)));
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(20, JsonDocument.Parse(events[^2]).RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        await AssertMoneyConsistentAsync(userId);
    }

    [Fact]
    public async Task Missing_bad_revoked_and_expired_keys_are_401()
    {
        var (userId, key) = await UserWithKeyAsync();
        var before = app.DashScope.Requests.Count;

        await AssertOpenAiErrorAsync(await app.CreateClient().PostAsJsonAsync(Route, Body()), HttpStatusCode.Unauthorized, "unauthorized");
        await AssertOpenAiErrorAsync(await app.KeyClient("sk-" + new string('0', 64)).PostAsJsonAsync(Route, Body(stream: true)), HttpStatusCode.Unauthorized, "unauthorized");
        await AssertOpenAiErrorAsync(await app.KeyClient("not-a-key").PostAsJsonAsync(Route, Body()), HttpStatusCode.Unauthorized, "unauthorized");

        var expired = await app.CreateKeyDirectAsync(userId, DateTime.UtcNow.AddSeconds(-1));
        await AssertOpenAiErrorAsync(await app.KeyClient(expired).PostAsJsonAsync(Route, Body()), HttpStatusCode.Unauthorized, "unauthorized");

        // A key that worked (and is cached) stops working the moment it is revoked.
        var (keyId, live) = await app.CreateKeyAsync(userId);
        Assert.Equal(HttpStatusCode.OK, (await app.KeyClient(live).PostAsJsonAsync(Route, Body())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().DeleteAsync($"/api/keys/{keyId}?user_uuid={userId}")).StatusCode);
        await AssertOpenAiErrorAsync(await app.KeyClient(live).PostAsJsonAsync(Route, Body(stream: true)), HttpStatusCode.Unauthorized, "unauthorized");

        Assert.Equal(before + 1, app.DashScope.Requests.Count);
        Assert.Equal(HttpStatusCode.OK, (await app.KeyClient(key).PostAsJsonAsync(Route, Body())).StatusCode);
        await AssertMoneyConsistentAsync(userId);
    }

    [Fact]
    public async Task A_model_outside_the_keys_allow_list_is_403_and_costs_nothing()
    {
        var (userId, key) = await UserWithKeyAsync(models: ["test-deepseek"]);
        var before = app.DashScope.Requests.Count;

        await AssertOpenAiErrorAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body("test-qwen")), HttpStatusCode.Forbidden, "model_not_allowed");
        await AssertOpenAiErrorAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body("test-qwen", stream: true)), HttpStatusCode.Forbidden, "model_not_allowed");
        Assert.Equal(HttpStatusCode.OK, (await app.KeyClient(key).PostAsJsonAsync(Route, Body("test-deepseek"))).StatusCode);

        Assert.Equal(before, app.DashScope.Requests.Count);
        Assert.Equal(100_000 - Cost, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);

        var models = await IhuiApp.JsonAsync(await app.KeyClient(key).GetAsync("/v1/models"));
        Assert.Equal(["test-deepseek"], models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("no-such-model", false)]
    [InlineData("no-such-model", true)]
    [InlineData("test-disabled", false)]
    [InlineData("test-disabled", true)]
    [InlineData("test-unpriced", false)]
    public async Task Unknown_disabled_or_unpriced_models_are_400_invalid_model(string model, bool stream)
    {
        var (userId, key) = await UserWithKeyAsync();
        var before = app.DashScope.Requests.Count;

        await AssertOpenAiErrorAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body(model, stream)), HttpStatusCode.BadRequest, "invalid_model");

        Assert.Equal(before, app.DashScope.Requests.Count);
        Assert.Equal(100_000, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);
    }

    [Theory]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[", "invalid_json")]
    [InlineData("{\"model\":\"test-qwen\"}", "invalid_request_error")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[]}", "invalid_request_error")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":\"hello\"}", "invalid_json")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}", "invalid_json")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", "invalid_json")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":7}", "invalid_request_error")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}],\"stream\":true}", "invalid_request_error")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":42}]}", "invalid_request_error")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":7}]}]}", "invalid_request_error")]
    [InlineData("{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "invalid_json")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\"}]}", "invalid_request_error")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":3}", "invalid_request_error")]
    [InlineData("[1,2,3]", "invalid_json")]
    [InlineData("", "invalid_json")]
    [InlineData("null", "invalid_json")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} {}", "invalid_json")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}x", "invalid_json")]
    public async Task Bad_bodies_are_400_in_OpenAIs_error_shape(string body, string code)
    {
        var (userId, key) = await UserWithKeyAsync();
        var before = app.DashScope.Requests.Count;

        var response = await app.KeyClient(key).PostAsync(Route, new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertOpenAiErrorAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(before, app.DashScope.Requests.Count);
        Assert.Equal(100_000, await app.BalanceAsync(userId));
    }

    [Fact]
    public async Task A_body_in_many_pieces_with_a_BOM_or_in_another_charset_is_read_whole()
    {
        var (userId, key) = await UserWithKeyAsync();
        var json = JsonSerializer.Serialize(Body());
        var http = app.KeyClient(key);

        // Chunked, 700 bytes at a time and longer than a buffer segment: the reader sees the body in many pieces.
        var longer = JsonSerializer.Serialize(new { model = "test-qwen", messages = new[] { new { role = "user", content = string.Concat(Enumerable.Repeat("你好", 5000)) } } });
        var pieces = new StreamContent(new TrickleStream(Encoding.UTF8.GetBytes(longer), 700));
        pieces.Headers.ContentType = new("application/json");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(Route, pieces)).StatusCode);

        var bom = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)]);
        bom.Headers.ContentType = new("application/json");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(Route, bom)).StatusCode);

        var utf16 = new ByteArrayContent(Encoding.Unicode.GetBytes(json));
        utf16.Headers.ContentType = new("application/json") { CharSet = "utf-16" };
        var transcoded = await http.PostAsync(Route, utf16);
        Assert.Equal(HttpStatusCode.OK, transcoded.StatusCode);
        // The vendor got the Chinese text intact, whatever charset it came in.
        Assert.Contains("你好！", JsonNode.Parse(app.DashScope.Received[^1].Body)!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        var plain = await http.PostAsync(Route, new StringContent(json, Encoding.UTF8, "text/plain"));
        // Refused by routing (the route accepts JSON only), before the body is read.
        await AssertOpenAiErrorAsync(plain, HttpStatusCode.UnsupportedMediaType, "http_error");
        await AssertMoneyConsistentAsync(userId);
    }

    [Fact]
    public async Task Without_trace_export_a_vendor_gets_no_trace_context()
    {
        var (_, key) = await UserWithKeyAsync();
        // A listener makes every source sample, so a request runs inside an Activity whatever the host's logging.
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == "Microsoft.AspNetCore",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var response = await app.KeyClient(key).PostAsJsonAsync(Route, Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = app.DashScope.Received[^1].Headers;
        Assert.DoesNotContain(headers.Keys, h => h.Equals("traceparent", StringComparison.OrdinalIgnoreCase) || h.Equals("Request-Id", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Hands out at most <c>size</c> bytes per read, so a chunked upload goes out in many small chunks.</summary>
    private sealed class TrickleStream(byte[] bytes, int size) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, size));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, size)], ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => base.ReadAsync(buffer, offset, Math.Min(count, size), ct);
    }

    [Fact]
    public async Task Field_errors_name_the_wire_field()
    {
        var (_, key) = await UserWithKeyAsync();

        var response = await app.KeyClient(key).PostAsJsonAsync(Route,
            new { model = "test-qwen", messages = new[] { new { role = "robot", content = "hi" } }, temperature = 9 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await IhuiApp.JsonAsync(response)).GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("messages[0].role", message);
        Assert.Contains("temperature", message);
    }

    private const string Hi = "[{\"role\":\"user\",\"content\":\"hi\"}]";

    /// <summary>The field errors' exact wire text, in rule order, for the stream and the non-stream request alike.</summary>
    [Theory]
    [InlineData("{\"model\":\"\",\"messages\":" + Hi + "}",
        "model: 'model' must not be empty.")]
    [InlineData("{\"model\":\"test-qwen\"}",
        "messages: 'messages' must not be empty.")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[]}",
        "messages: 'messages' must not be empty.")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[null]}",
        "messages[0]: must be an object with a role and content")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"content\":\"hi\"}]}",
        "messages[0].role: 'role' must not be empty.")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"\",\"content\":\"hi\"}]}",
        "messages[0].role: 'role' must not be empty.; messages[0].role: must be one of system, developer, user, assistant, tool")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"robot\",\"content\":42}]}",
        "messages[1].role: must be one of system, developer, user, assistant, tool; messages[1].content: must be a string or an array of text/image_url parts")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\"},{\"role\":\"assistant\"},{\"role\":\"tool\",\"content\":null}]}",
        "messages[0].content: is required; messages[2].content: is required")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}},{\"type\":\"text\"}]}]}",
        "messages[0].content: must be a string or an array of text/image_url parts")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"https://x/y.png\"}]},{\"role\":\"user\",\"content\":[\"a\"]},{\"role\":\"user\",\"content\":{}}]}",
        "messages[0].content: must be a string or an array of text/image_url parts; messages[1].content: must be a string or an array of text/image_url parts; messages[2].content: must be a string or an array of text/image_url parts")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":" + Hi + ",\"temperature\":2.5,\"top_p\":-0.1,\"max_tokens\":0,\"max_completion_tokens\":1000001,\"n\":2}",
        "temperature: 'temperature' must be between 0 and 2. You entered 2.5.; top_p: 'top_p' must be between 0 and 1. You entered -0.1.; max_tokens: 'max_tokens' must be between 1 and 1000000. You entered 0.; max_completion_tokens: 'max_completion_tokens' must be between 1 and 1000000. You entered 1000001.; n: only n = 1 is supported")]
    [InlineData("{\"model\":\"test-qwen\",\"messages\":" + Hi + ",\"temperature\":-1,\"top_p\":1.5}",
        "temperature: 'temperature' must be between 0 and 2. You entered -1.; top_p: 'top_p' must be between 0 and 1. You entered 1.5.")]
    public async Task Field_errors_are_worded_as_documented(string body, string expected)
    {
        var (userId, key) = await UserWithKeyAsync();
        var before = app.DashScope.Requests.Count;
        foreach (var stream in (bool[])[false, true])
        {
            var sent = stream ? body[..^1] + ",\"stream\":true}" : body;
            var response = await app.KeyClient(key).PostAsync(Route, new StringContent(sent, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await IhuiApp.JsonAsync(response)).GetProperty("error");
            Assert.Equal("invalid_request_error", error.GetProperty("code").GetString());
            Assert.Equal(expected, error.GetProperty("message").GetString());
        }
        Assert.Equal(before, app.DashScope.Requests.Count);
        Assert.Equal(100_000, await app.BalanceAsync(userId));
    }

    [Fact]
    public async Task Too_many_messages_or_too_long_a_model_name_are_field_errors()
    {
        var (_, key) = await UserWithKeyAsync();
        var many = Enumerable.Repeat(new { role = "user", content = "hi" }, 1001).ToArray();

        var tooMany = await app.KeyClient(key).PostAsJsonAsync(Route, new { model = "test-qwen", messages = many });
        var tooLong = await app.KeyClient(key).PostAsJsonAsync(Route, new { model = new string('m', 129), messages = many[..1] });

        Assert.Equal("messages: at most 1000 messages", (await IhuiApp.JsonAsync(tooMany)).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("model: The length of 'model' must be 128 characters or fewer. You entered 129 characters.", (await IhuiApp.JsonAsync(tooLong)).GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void The_validator_run_synchronously_checks_the_same_rules()
    {
        var validator = app.Services.GetRequiredService<FluentValidation.IValidator<Ihui.Features.OpenAi.ChatCompletions.ChatCompletionsRequest>>();
        Ihui.Features.OpenAi.ChatCompletions.ChatCompletionsRequest Request(string model, string role) =>
            new(new() { Model = model, Messages = [new(role, JsonDocument.Parse("\"hi\"").RootElement)] }, null, 100);

        Assert.True(validator.Validate(Request("test-qwen", "user")).IsValid);
        var failure = Assert.Single(validator.Validate(Request("test-qwen", "robot")).Errors);
        Assert.Equal("messages[0].role", failure.PropertyName);
        var unknown = Assert.Throws<Ihui.Features.Common.Errors.ApiException>(() => validator.Validate(Request("no-such-model", "user")));
        Assert.Equal("invalid_model", unknown.Code);
    }

    [Fact]
    public async Task An_unknown_model_is_invalid_model_even_with_field_errors()
    {
        var (_, key) = await UserWithKeyAsync();

        var response = await app.KeyClient(key).PostAsJsonAsync(Route,
            new { model = "no-such-model", messages = new[] { new { role = "robot", content = "hi" } }, temperature = 9 });

        await AssertOpenAiErrorAsync(response, HttpStatusCode.BadRequest, "invalid_model");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Insufficient_balance_is_402_before_any_byte_and_no_vendor_call(bool stream)
    {
        var (userId, key) = await UserWithKeyAsync(balance: 10);
        var before = app.DashScope.Requests.Count;

        var response = await app.KeyClient(key).PostAsJsonAsync(Route, Body(stream: stream));

        await AssertOpenAiErrorAsync(response, HttpStatusCode.PaymentRequired, "insufficient_balance");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, app.DashScope.Requests.Count);
        Assert.Equal(10, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);
    }

    [Theory]
    [InlineData(false, 500, HttpStatusCode.BadGateway, "vendor_error")]
    [InlineData(true, 500, HttpStatusCode.BadGateway, "vendor_error")]
    [InlineData(true, 429, HttpStatusCode.TooManyRequests, "rate_limited")]
    public async Task Vendor_failure_before_output_is_a_real_status_and_a_full_refund(bool stream, int vendorStatus, HttpStatusCode status, string code)
    {
        var (userId, key) = await UserWithKeyAsync();
        app.DashScope.Mode = FakeMode.Fail;
        app.DashScope.FailStatus = vendorStatus;

        await AssertOpenAiErrorAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body(stream: stream)), status, code);

        Assert.Equal(100_000, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);
        var call = Assert.Single(await app.CallsAsync(userId));
        Assert.Equal(("failed", 0L), (call.Status, call.Charged));
        Assert.True(call.Reserved > 0);
    }

    [Fact]
    public async Task Vendor_timeout_before_output_is_408()
    {
        var (userId, key) = await UserWithKeyAsync();
        app.DashScope.Mode = FakeMode.Hang;

        await AssertOpenAiErrorAsync(await app.KeyClient(key).PostAsJsonAsync(Route, Body(stream: true)), HttpStatusCode.RequestTimeout, "vendor_timeout");

        Assert.Equal(100_000, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);
    }

    [Fact]
    public async Task A_stream_cut_mid_way_ends_with_an_error_event_and_a_partial_charge()
    {
        var (userId, key) = await UserWithKeyAsync();
        app.DashScope.Mode = FakeMode.CutStream;

        var response = await app.KeyClient(key).PostAsJsonAsync(Route, Body(stream: true, includeUsage: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await EventsAsync(response);
        Assert.DoesNotContain("[DONE]", events);
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal("vendor_error", error.GetProperty("code").GetString());
        Assert.Contains(events[..^1], e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) && c.GetString()!.Length > 0);

        var call = Assert.Single(await app.CallsAsync(userId));
        Assert.Equal("failed", call.Status);
        Assert.InRange(call.Charged, 1, call.Reserved - 1);
        Assert.Equal(100_000 - call.Charged, await app.BalanceAsync(userId));
        await AssertMoneyConsistentAsync(userId);
    }

    [Fact]
    public async Task Models_lists_only_enabled_priced_models_in_OpenAIs_shape()
    {
        var (_, key) = await UserWithKeyAsync();

        var response = await app.KeyClient(key).GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal("list", json.GetProperty("object").GetString());
        var models = json.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Contains("test-qwen", models.Keys);
        Assert.Contains("test-deepseek", models.Keys);
        Assert.Contains("test-gemini", models.Keys);
        Assert.DoesNotContain("test-disabled", models.Keys);
        Assert.DoesNotContain("test-unpriced", models.Keys);
        Assert.Equal("model", models["test-qwen"].GetProperty("object").GetString());
        Assert.Equal("dashscope", models["test-qwen"].GetProperty("owned_by").GetString());
        Assert.True(models["test-qwen"].GetProperty("created").GetInt64() > 0);

        await AssertOpenAiErrorAsync(await app.CreateClient().GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "unauthorized");
    }
}
