using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

public sealed class IFlytekTextModelTests(IFlytekApp app) : IClassFixture<IFlytekApp>, IDisposable
{
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.XFyun.ResetAll();

    private static object Body(string? uuid, string? username = null) => new
    {
        uuid,
        username,
        dialog = new object[]
        {
            new { role = "system", content = "你是助手" },
            new { role = "user", content = "你好" },
            new { role = "assistant", content = "你好！" },
            new { role = "user", content = "介绍一下你自己" },
        },
    };

    // 30 prompt + 12 completion tokens at 1000/1K each (generalv3.5), × TOKEN_BASE_MULTIPLIER 2.0 = 84.
    private const long Charge = 84;
    private const string FullReply = "您好，我是讯飞星火认知大模型。";

    [Fact]
    public async Task Chat_answers_the_seed_shape_at_the_top_level_and_charges_the_vendors_usage()
    {
        var user = await app.CreateUserAsync(100_000);
        var frames = app.XFyun.SparkFrames.Count;

        var response = await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id, user.Username));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal("文本大模型回复成功", json.GetProperty("msg").GetString());
        Assert.Equal(FullReply, json.GetProperty("content").GetString());
        Assert.Equal(Charge, json.GetProperty("consume_token").GetInt64());
        Assert.Equal(100_000 - Charge, json.GetProperty("tokens").GetInt64());
        Assert.False(json.TryGetProperty("data", out _));
        Assert.Equal(100_000 - Charge, await app.BalanceAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));

        var sent = app.XFyun.SparkFrames.Skip(frames).Single();
        Assert.Equal(IFlytekApp.AppId, sent["header"]!["app_id"]!.GetValue<string>());
        Assert.Equal(user.Id.Replace("-", ""), sent["header"]!["uid"]!.GetValue<string>());
        Assert.Equal("generalv3.5", sent["parameter"]!["chat"]!["domain"]!.GetValue<string>());
        Assert.Equal(1000, sent["parameter"]!["chat"]!["max_tokens"]!.GetValue<int>());
        Assert.Null(sent["parameter"]!["chat"]!["temperature"]);
        var text = sent["payload"]!["message"]!["text"]!.AsArray();
        Assert.Equal(4, text.Count);
        Assert.Equal(("user", "介绍一下你自己"), (text[3]!["role"]!.GetValue<string>(), text[3]!["content"]!.GetValue<string>()));

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", "/textModel/chat", "iflytek", "generalv3.5"), (call.Status, call.Route, call.Vendor, call.Model));
        Assert.Equal((30L, 12L, Charge), (call.UsageIn, call.UsageOut, call.Charged));
    }

    [Fact]
    public async Task Username_is_optional_but_must_match_when_given()
    {
        var user = await app.CreateUserAsync(100_000);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id))).StatusCode);

        var wrong = await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id, "someone-else"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(401, (await IhuiApp.JsonAsync(wrong)).GetProperty("code").GetInt32());

        var missing = await _http.PostAsJsonAsync("/textModel/chat", Body(null));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("uuid", (await IhuiApp.JsonAsync(missing)).GetProperty("msg").GetString());

        var unknown = await _http.PostAsJsonAsync("/textModel/chat", Body(Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(100_000 - Charge, await app.BalanceAsync(user.Id));
    }

    [Theory]
    [InlineData("{\"uuid\":\"x\",\"dialog\":[]}")]
    [InlineData("{\"uuid\":\"x\",\"dialog\":[{\"role\":\"robot\",\"content\":\"hi\"}]}")]
    [InlineData("{\"uuid\":\"x\",\"dialog\":[{\"role\":\"user\"}]}")]
    [InlineData("{\"uuid\":\"x\",\"dialog\":\"hello\"}")]
    [InlineData("{\"uuid\":\"x\",\"dialog\":[")]
    public async Task Bad_dialogs_are_400_and_never_reach_spark(string body)
    {
        var user = await app.CreateUserAsync(1_000);
        var frames = app.XFyun.SparkFrames.Count;
        var response = await _http.PostAsync("/textModel/chat",
            new StringContent(body.Replace("\"x\"", $"\"{user.Id}\""), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(frames, app.XFyun.SparkFrames.Count);
        Assert.Equal(1_000, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task Insufficient_balance_is_402_and_spark_is_not_called()
    {
        var user = await app.CreateUserAsync(100);
        var frames = app.XFyun.SparkFrames.Count;
        var response = await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id));
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal(frames, app.XFyun.SparkFrames.Count);
        Assert.Equal(100, await app.BalanceAsync(user.Id));
        Assert.Equal(100, await app.LedgerSumAsync(user.Id));
    }

    [Theory]
    [InlineData(10013, HttpStatusCode.BadRequest)]
    [InlineData(11202, HttpStatusCode.TooManyRequests)]
    [InlineData(10000, HttpStatusCode.BadGateway)]
    public async Task Spark_errors_are_mapped_and_refunded(int code, HttpStatusCode expected)
    {
        var user = await app.CreateUserAsync(100_000);
        app.XFyun.Mode = FakeMode.Fail;
        app.XFyun.FailCode = code;

        var response = await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id));

        Assert.Equal(expected, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal((int)expected, json.GetProperty("code").GetInt32());
        Assert.False(json.TryGetProperty("content", out _));
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("failed", (int)expected, 0L), (call.Status, call.ErrorCode!.Value, call.Charged));
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_fake_and_becomes_a_502_with_a_refund()
    {
        var user = await app.CreateUserAsync(100_000);
        app.XFyun.ApiSecret = "not-the-gateways-secret";
        var refusals = app.XFyun.Refusals.Count;

        var response = await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var msg = (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString()!;
        Assert.Contains("XFYUN_API_SECRET", msg);
        Assert.DoesNotContain(IFlytekApp.ApiSecret, msg);
        Assert.DoesNotContain("authorization", msg);
        Assert.Equal("HMAC signature does not match", app.XFyun.Refusals.Skip(refusals).Single());
        var logged = Assert.Single(await app.CallsAsync(user.Id)).ErrorMessage!;
        Assert.DoesNotContain(IFlytekApp.ApiKey, logged);
        Assert.DoesNotContain("authorization", logged);
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task A_stalled_answer_is_408_and_a_cut_socket_is_502_both_refunded()
    {
        var user = await app.CreateUserAsync(100_000);
        app.XFyun.Stall = true;
        var stalled = await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id));
        Assert.Equal(HttpStatusCode.RequestTimeout, stalled.StatusCode);

        app.XFyun.Stall = false;
        app.XFyun.Mode = FakeMode.CutStream;
        var cut = await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id));
        Assert.Equal(HttpStatusCode.BadGateway, cut.StatusCode);

        app.XFyun.Mode = FakeMode.Normal;
        app.XFyun.Garbage = true;
        var garbled = await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id));
        Assert.Equal(HttpStatusCode.BadGateway, garbled.StatusCode);
        Assert.Contains("malformed", (await IhuiApp.JsonAsync(garbled)).GetProperty("msg").GetString());

        app.XFyun.Garbage = false;
        app.XFyun.Mode = FakeMode.Hang;
        var hung = await _http.PostAsJsonAsync("/textModel/chat", Body(user.Id));
        Assert.Equal(HttpStatusCode.RequestTimeout, hung.StatusCode);

        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }

    [Fact]
    public async Task Stream_passes_sparks_frames_through_as_ndjson_and_the_last_carries_the_charge()
    {
        var user = await app.CreateUserAsync(100_000);

        var response = await _http.PostAsJsonAsync("/textModel/stream", Body(user.Id, user.Username));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var frames = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([0, 1, 2], frames.Select(f => f.GetProperty("header").GetProperty("status").GetInt32()));
        Assert.All(frames, f => Assert.Equal(0, f.GetProperty("header").GetProperty("code").GetInt32()));
        Assert.Equal(FullReply, string.Concat(frames.Select(f => f.GetProperty("payload").GetProperty("choices").GetProperty("text")[0].GetProperty("content").GetString())));
        var last = frames[^1];
        Assert.Equal(12, last.GetProperty("payload").GetProperty("usage").GetProperty("text").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(Charge, last.GetProperty("consume_token").GetInt64());
        Assert.Equal(100_000 - Charge, last.GetProperty("tokens").GetInt64());
        Assert.Equal(100_000 - Charge, await app.BalanceAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", "/textModel/stream", Charge), (call.Status, call.Route, call.Charged));
    }

    [Fact]
    public async Task Stream_speaks_sse_when_asked()
    {
        var user = await app.CreateUserAsync(100_000);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/textModel/stream") { Content = JsonContent.Create(Body(user.Id)) };
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await _http.SendAsync(request);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, events.Length);
        Assert.All(events, e => Assert.StartsWith("data: {\"header\"", e));
        Assert.Equal(Charge, JsonDocument.Parse(events[^1]["data: ".Length..]).RootElement.GetProperty("consume_token").GetInt64());
    }

    [Fact]
    public async Task Stream_refusals_before_the_first_frame_are_real_statuses()
    {
        var poor = await app.CreateUserAsync(10);
        var broke = await _http.PostAsJsonAsync("/textModel/stream", Body(poor.Id));
        Assert.Equal(HttpStatusCode.PaymentRequired, broke.StatusCode);
        Assert.Equal(402, (await IhuiApp.JsonAsync(broke)).GetProperty("code").GetInt32());

        var stranger = await _http.PostAsJsonAsync("/textModel/stream", Body(Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);

        var user = await app.CreateUserAsync(100_000);
        app.XFyun.Mode = FakeMode.Fail;
        var failed = await _http.PostAsJsonAsync("/textModel/stream", Body(user.Id));
        Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task A_stream_cut_after_the_first_frame_ends_with_a_spark_shaped_error_and_charges_only_what_was_delivered()
    {
        var user = await app.CreateUserAsync(100_000);
        app.XFyun.Mode = FakeMode.CutStream;

        var response = await _http.PostAsJsonAsync("/textModel/stream", Body(user.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var error = JsonDocument.Parse(lines[1]).RootElement.GetProperty("header");
        Assert.Equal(502, error.GetProperty("code").GetInt32());
        Assert.Equal(2, error.GetProperty("status").GetInt32());
        // Delivered: "您好，" counted with the local tokenizer + the dialog's 16 characters estimated as input.
        var charged = await app.LedgerSumAsync(user.Id) - 100_000;
        var delivered = Ihui.Features.Common.Billing.TokenCounter.Count("您好，");
        Assert.Equal(-(long)Math.Ceiling((16 + delivered) * 1000m / 1000m * 2.0m), charged);
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }
}
