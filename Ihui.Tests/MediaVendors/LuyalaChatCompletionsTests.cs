using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.MediaVendors;

public sealed class LuyalaChatCompletionsTests(MediaVendorsApp app) : IClassFixture<MediaVendorsApp>, IDisposable
{
    private const string Route = "/cozeZhsApi/luyala/chat/completions";
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.ResetFakes();

    [Fact]
    public async Task Answers_the_completion_and_charges_exactly_what_the_ledger_shows()
    {
        var user = await app.CreateUserAsync(100_000);
        app.Luyala.Reply = "补全：春眠不觉晓，处处闻啼鸟。";

        var response = await _http.PostAsJsonAsync(Route, new { prompt = "春眠不觉晓", user_uuid = user.Id, chat_id = "c1" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal("补全：春眠不觉晓，处处闻啼鸟。", json.GetProperty("data").GetProperty("completion").GetString());
        // 30 in + 12 out at 1000/1K, × 2.0 = 84.
        Assert.Equal(84, json.GetProperty("data").GetProperty("consume_token").GetInt64());
        Assert.Equal(100_000 - 84, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000 - 84, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));

        var sent = Assert.Single(app.Luyala.Received);
        Assert.Equal(("/v1/chat/completions", $"Bearer {MediaVendorsApp.LuyalaKey}"), (sent.Path, sent.Headers["Authorization"]));
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("gpt-4o-mini", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("春眠不觉晓", body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(2048, body.RootElement.GetProperty("max_tokens").GetInt32());
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", "luyala", "luyala-chat", 84L), (call.Status, call.Vendor, call.Model, call.Charged));
    }

    [Theory]
    [InlineData(500, HttpStatusCode.BadGateway)]
    [InlineData(429, HttpStatusCode.TooManyRequests)]
    public async Task A_vendor_failure_is_refunded(int vendorStatus, HttpStatusCode expected)
    {
        var user = await app.CreateUserAsync(50_000);
        app.Luyala.Mode = FakeMode.Fail;
        app.Luyala.FailStatus = vendorStatus;

        var response = await _http.PostAsJsonAsync(Route, new { prompt = "hi", user_uuid = user.Id });

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal((int)expected, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
        Assert.Equal(50_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }

    [Fact]
    public async Task A_vendor_timeout_is_408_and_refunded()
    {
        var user = await app.CreateUserAsync(50_000);
        app.Luyala.Mode = FakeMode.Hang;
        var response = await _http.PostAsJsonAsync(Route, new { prompt = "hi", user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal(50_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
    }

    [Theory]
    [InlineData("{\"user_uuid\":\"USER\"}", HttpStatusCode.BadRequest, "prompt")]
    [InlineData("{\"prompt\":\"\",\"user_uuid\":\"USER\"}", HttpStatusCode.BadRequest, "prompt")]
    [InlineData("{\"prompt\":[1],\"user_uuid\":\"USER\"}", HttpStatusCode.BadRequest, "prompt")]
    [InlineData("{\"prompt\":\"hi\",", HttpStatusCode.BadRequest, "JSON")]
    [InlineData("{\"prompt\":\"hi\"}", HttpStatusCode.Unauthorized, "user_uuid")]
    public async Task Bad_input_is_refused_without_a_vendor_call(string body, HttpStatusCode status, string mentions)
    {
        var user = await app.CreateUserAsync(50_000);
        var response = await _http.PostAsync(Route, new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(status, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal((int)status, json.GetProperty("code").GetInt32());
        Assert.Contains(mentions, json.GetProperty("msg").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(app.Luyala.Received);
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
    }
}

public sealed class LuyalaConfigurationTests
{
    private sealed class WrongKeyApp : MediaVendorsApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [new("LUYALA_API_KEY", "sk-wrong-luyala-key")];
    }

    private sealed class NoBaseUrlApp : MediaVendorsApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [new("LUYALA_BASE_URL", "")];
    }

    [Fact]
    public async Task A_rejected_key_is_502_naming_the_variable_without_echoing_the_key()
    {
        var app = new WrongKeyApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        var user = await app.CreateUserAsync(10_000);
        var response = await app.CreateClient().PostAsJsonAsync("/cozeZhsApi/luyala/chat/completions", new { prompt = "hi", user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("LUYALA_API_KEY", text);
        Assert.DoesNotContain("sk-wrong-luyala-key", text);
        Assert.Equal(10_000, await app.LedgerSumAsync(user.Id));
        await ((IAsyncLifetime)app).DisposeAsync();
    }

    [Fact]
    public async Task A_missing_base_url_is_503_naming_it_and_nothing_is_called()
    {
        var app = new NoBaseUrlApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        var user = await app.CreateUserAsync(10_000);
        var response = await app.CreateClient().PostAsJsonAsync("/cozeZhsApi/luyala/chat/completions", new { prompt = "hi", user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("LUYALA_BASE_URL", (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Empty(app.Luyala.Received);
        Assert.Equal(10_000, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000, await app.LedgerSumAsync(user.Id));
        await ((IAsyncLifetime)app).DisposeAsync();
    }
}
