using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

public sealed class DashScopeVisionChatTests(IhuiApp app) : IClassFixture<IhuiApp>, IDisposable
{
    private const string Route = "/cozeZhsApi/dashscope/vision/chat";
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.DashScope.Reset();

    private static object Body(string? user, string prompt = "这张图里有什么？", string[]? images = null, string? model = null) => new
    {
        prompt,
        image_urls = images ?? ["https://example.com/cat.png"],
        model,
        user_uuid = user,
        chat_id = "chat-1",
    };

    [Fact]
    public async Task Answers_in_the_seed_envelope_and_charges_the_vendors_usage()
    {
        var user = await app.CreateUserAsync(100_000);
        var before = app.DashScope.Requests.Count;

        var response = await _http.PostAsJsonAsync(Route, Body(user.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal(app.DashScope.Reply, json.GetProperty("data").GetProperty("content").GetString());
        // 30 in + 12 out at 1000/1K each, × TOKEN_BASE_MULTIPLIER 2.0 = 84 tokens.
        Assert.Equal(84, json.GetProperty("data").GetProperty("consume_token").GetInt64());
        Assert.Equal(100_000 - 84, json.GetProperty("data").GetProperty("balance").GetInt64());
        Assert.Equal(100_000 - 84, await app.BalanceAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));

        var sent = app.DashScope.Received.Skip(before).Single();
        Assert.Equal($"Bearer {IhuiApp.DashScopeKey}", sent.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("qwen-vl-max", body.RootElement.GetProperty("model").GetString());
        var parts = body.RootElement.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("image_url", parts[0].GetProperty("type").GetString());
        Assert.Equal("https://example.com/cat.png", parts[0].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("这张图里有什么？", parts[1].GetProperty("text").GetString());

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", Route, "dashscope", "qwen-vl-max"), (call.Status, call.Route, call.Vendor, call.Model));
        Assert.Equal((30L, 12L, 84L), (call.UsageIn, call.UsageOut, call.Charged));
        Assert.True(call.Reserved >= call.Charged);
    }

    [Fact]
    public async Task User_uuid_may_come_from_the_query_string()
    {
        var user = await app.CreateUserAsync(100_000);
        var response = await _http.PostAsJsonAsync($"{Route}?user_uuid={user.Id}", Body(null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Insufficient_balance_is_402_and_the_vendor_is_not_called()
    {
        var user = await app.CreateUserAsync(10);
        var before = app.DashScope.Requests.Count;

        var response = await _http.PostAsJsonAsync(Route, Body(user.Id));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal(402, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(before, app.DashScope.Requests.Count);
        Assert.Equal(10, await app.BalanceAsync(user.Id));
        Assert.Equal(10, await app.LedgerSumAsync(user.Id));
    }

    [Theory]
    [InlineData(500, HttpStatusCode.BadGateway)]
    [InlineData(429, HttpStatusCode.TooManyRequests)]
    [InlineData(400, HttpStatusCode.BadRequest)]
    public async Task A_vendor_failure_is_refunded_in_full_and_logged(int vendorStatus, HttpStatusCode expected)
    {
        var user = await app.CreateUserAsync(50_000);
        app.DashScope.Mode = FakeMode.Fail;
        app.DashScope.FailStatus = vendorStatus;

        var response = await _http.PostAsJsonAsync(Route, Body(user.Id));

        Assert.Equal(expected, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal((int)expected, json.GetProperty("code").GetInt32());
        Assert.Contains("dashscope", json.GetProperty("msg").GetString());
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
        Assert.Equal(50_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("failed", (int)expected, 0L), (call.Status, call.ErrorCode!.Value, call.Charged));
        Assert.True(call.Reserved > 0);
    }

    [Fact]
    public async Task A_vendor_timeout_is_408_and_refunded()
    {
        var user = await app.CreateUserAsync(50_000);
        app.DashScope.Mode = FakeMode.Hang;

        var response = await _http.PostAsJsonAsync(Route, Body(user.Id));

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal(408, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
        Assert.Equal(50_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal("timeout", Assert.Single(await app.CallsAsync(user.Id)).Status);
    }

    [Fact]
    public async Task A_malformed_vendor_body_is_502_and_refunded()
    {
        var user = await app.CreateUserAsync(50_000);
        app.DashScope.Mode = FakeMode.Malformed;

        var response = await _http.PostAsJsonAsync(Route, Body(user.Id));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
        Assert.Equal(50_000, await app.LedgerSumAsync(user.Id));
    }

    public static TheoryData<string, HttpStatusCode, string> BadInputs => new()
    {
        { "{\"prompt\": \"hi\", \"image_urls\": [", HttpStatusCode.BadRequest, "malformed JSON" },
        { "{\"prompt\": 42, \"user_uuid\": \"USER\"}", HttpStatusCode.BadRequest, "$.prompt" },
        { "{\"image_urls\": [\"https://e.com/a.png\"], \"user_uuid\": \"USER\"}", HttpStatusCode.BadRequest, "prompt" },
        { "{\"prompt\": \"hi\", \"image_urls\": [\"not a url\"], \"user_uuid\": \"USER\"}", HttpStatusCode.BadRequest, "image_urls" },
        { "{\"prompt\": \"hi\", \"image_urls\": [\"ftp://e.com/a.png\"], \"user_uuid\": \"USER\"}", HttpStatusCode.BadRequest, "image_urls" },
        { "{\"prompt\": \"hi\", \"model\": \"gpt-4o\", \"user_uuid\": \"USER\"}", HttpStatusCode.BadRequest, "model" },
        { "{\"prompt\": \"hi\", \"model\": \"qwen-unpriced-model\", \"user_uuid\": \"USER\"}", HttpStatusCode.BadRequest, "not available" },
        { "{\"prompt\": \"hi\", \"user_uuid\": \"3f1c2a4e-0000-4000-8000-000000000000\"}", HttpStatusCode.Unauthorized, "user_uuid" },
        { "{\"prompt\": \"hi\", \"user_uuid\": \"'; DROP TABLE users; --\"}", HttpStatusCode.Unauthorized, "user_uuid" },
        { "{\"prompt\": \"hi\"}", HttpStatusCode.Unauthorized, "user_uuid" },
        { "", HttpStatusCode.BadRequest, "JSON" },
        { "[1,2,3]", HttpStatusCode.BadRequest, "JSON" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_gets_the_documented_error_and_no_vendor_call(string body, HttpStatusCode status, string mentions)
    {
        var user = await app.CreateUserAsync(50_000);
        var before = app.DashScope.Requests.Count;

        var response = await _http.PostAsync(Route, new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal((int)status, json.GetProperty("code").GetInt32());
        Assert.Contains(mentions, json.GetProperty("msg").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, app.DashScope.Requests.Count);
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task An_oversize_body_is_413_without_a_vendor_call()
    {
        var before = app.DashScope.Requests.Count;
        var huge = new string('a', 11 * 1024 * 1024);
        var response = await _http.PostAsync(Route, new StringContent($"{{\"prompt\":\"{huge}\"}}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(before, app.DashScope.Requests.Count);
    }
}

/// <summary>The README's vision example answers 503 naming <c>DASHSCOPE_API_KEY</c> until the key is set.</summary>
public sealed class DashScopeVisionNoKeyTests
{
    private sealed class NoKeyApp : IhuiApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [new("DASHSCOPE_API_KEY", "")];
    }

    [Fact]
    public async Task A_missing_key_is_503_naming_the_variable_and_nothing_is_held()
    {
        var app = new NoKeyApp();
        await app.InitializeAsync();
        try
        {
            var user = await app.CreateUserAsync(100_000);
            var response = await app.CreateClient().PostAsJsonAsync("/cozeZhsApi/dashscope/vision/chat",
                new { prompt = "这张图里有什么？", image_urls = new[] { "https://example.com/cat.png" }, model = "qwen-vl-max", user_uuid = user.Id, chat_id = "c1" });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var json = await IhuiApp.JsonAsync(response);
            Assert.Equal(503, json.GetProperty("code").GetInt32());
            Assert.Contains("DASHSCOPE_API_KEY", json.GetProperty("msg").GetString());
            Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
