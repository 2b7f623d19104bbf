using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.MediaVendors;

public sealed class VolcengineImageTests(MediaVendorsApp app) : IClassFixture<MediaVendorsApp>, IDisposable
{
    private const string Route = "/cozeZhsApi/proxy/volcengine/image";
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.ResetFakes();

    [Fact]
    public async Task Generates_n_images_with_signed_cvprocess_calls_and_charges_per_image()
    {
        var user = await app.CreateUserAsync(100_000);

        var response = await _http.PostAsJsonAsync(Route, new { prompt = "雪山下的小木屋", model = "volcengine-image", size = "1024*768", n = 2, user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        var urls = json.GetProperty("data").GetProperty("image_urls").EnumerateArray().Select(u => u.GetString()!).ToList();
        Assert.Equal(2, urls.Count);
        Assert.All(urls, u => Assert.StartsWith(app.Jimeng.ImageUrlPrefix, u));
        // 2 images × 200 per image × 2.0 = 800.
        Assert.Equal(800, json.GetProperty("data").GetProperty("consume_token").GetInt64());
        Assert.Equal(100_000 - 800, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000 - 800, await app.LedgerSumAsync(user.Id));

        Assert.Equal(2, app.Jimeng.Received.Length);
        var sent = app.Jimeng.Received[0];
        Assert.Equal("?Action=CVProcess&Version=2022-08-31", sent.Query);
        Assert.StartsWith($"HMAC-SHA256 Credential={MediaVendorsApp.JimengAk}/", sent.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal(("jimeng_high_aes_general_v21_L", 1024, 768, true), (body.RootElement.GetProperty("req_key").GetString(),
            body.RootElement.GetProperty("width").GetInt32(), body.RootElement.GetProperty("height").GetInt32(), body.RootElement.GetProperty("return_url").GetBoolean()));
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", "jimeng", "volcengine-image", 800L), (call.Status, call.Vendor, call.Model, call.Charged));
    }

    [Theory]
    [InlineData(50411, HttpStatusCode.BadGateway)]
    [InlineData(50429, HttpStatusCode.TooManyRequests)]
    public async Task A_vendor_business_error_is_mapped_and_refunded(int code, HttpStatusCode expected)
    {
        var user = await app.CreateUserAsync(100_000);
        app.Jimeng.BusinessCode = code;
        var response = await _http.PostAsJsonAsync(Route, new { prompt = "p", user_uuid = user.Id });
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal((int)expected, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }

    [Fact]
    public async Task A_malformed_vendor_body_is_502_and_refunded()
    {
        var user = await app.CreateUserAsync(100_000);
        app.Jimeng.Mode = FakeMode.Malformed;
        var response = await _http.PostAsJsonAsync(Route, new { prompt = "p", user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
    }

    [Theory]
    [InlineData("{\"user_uuid\":\"USER\"}", "prompt")]
    [InlineData("{\"prompt\":\"p\",\"size\":\"big\",\"user_uuid\":\"USER\"}", "size")]
    [InlineData("{\"prompt\":\"p\",\"size\":\"100*100\",\"user_uuid\":\"USER\"}", "size")]
    [InlineData("{\"prompt\":\"p\",\"n\":0,\"user_uuid\":\"USER\"}", "n")]
    [InlineData("{\"prompt\":\"p\",\"n\":9,\"user_uuid\":\"USER\"}", "n")]
    [InlineData("{\"prompt\":\"p\",\"n\":\"two\",\"user_uuid\":\"USER\"}", "n")]
    [InlineData("{\"prompt\":\"p\",\"model\":\"dall-e-unpriced\",\"user_uuid\":\"USER\"}", "not available")]
    public async Task Bad_input_is_400_without_a_vendor_call(string body, string mentions)
    {
        var user = await app.CreateUserAsync(50_000);
        var response = await _http.PostAsync(Route, new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentions, (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Empty(app.Jimeng.Received);
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task Concurrent_requests_never_overspend_and_the_ledger_matches()
    {
        // One image costs 200 × 2.0 = 400 tokens: the balance pays for exactly three.
        var user = await app.CreateUserAsync(1_200);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _http.PostAsJsonAsync(Route, new { prompt = "p", n = 1, user_uuid = user.Id })));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
        Assert.Equal(3, app.Jimeng.Received.Length);
        Assert.Equal(0, await app.BalanceAsync(user.Id));
        Assert.Equal(0, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }

    [Fact]
    public async Task Insufficient_balance_is_402_without_a_vendor_call()
    {
        var user = await app.CreateUserAsync(100);
        var response = await _http.PostAsJsonAsync(Route, new { prompt = "p", n = 1, user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Empty(app.Jimeng.Received);
        Assert.Equal(100, await app.LedgerSumAsync(user.Id));
    }
}

public sealed class VolcengineImageCredentialTests
{
    private sealed class WrongSecretApp : MediaVendorsApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [new("DOUBAO_JM_SECRET_KEY", "bm90LXRoZS1yZWFsLXNlY3JldA==")];
    }

    private sealed class NoSecretApp : MediaVendorsApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [new("DOUBAO_JM_SECRET_KEY", "")];
    }

    [Fact]
    public async Task A_signature_the_vendor_refuses_is_502_refunded_and_never_shows_the_secret()
    {
        var app = new WrongSecretApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        var user = await app.CreateUserAsync(10_000);
        var response = await app.CreateClient().PostAsJsonAsync("/cozeZhsApi/proxy/volcengine/image", new { prompt = "p", user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("DOUBAO_JM_API_KEY", text);
        Assert.DoesNotContain("bm90LXRoZS1yZWFsLXNlY3JldA==", text);
        Assert.DoesNotContain("Signature=", text);
        Assert.Single(app.Jimeng.Received);
        Assert.Equal(10_000, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000, await app.LedgerSumAsync(user.Id));
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.DoesNotContain("bm90LXRoZS1yZWFsLXNlY3JldA==", call.ErrorMessage ?? "");
        await ((IAsyncLifetime)app).DisposeAsync();
    }

    [Fact]
    public async Task A_missing_secret_is_503_naming_the_variable()
    {
        var app = new NoSecretApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        var user = await app.CreateUserAsync(10_000);
        var response = await app.CreateClient().PostAsJsonAsync("/cozeZhsApi/proxy/volcengine/image", new { prompt = "p", user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("DOUBAO_JM_SECRET_KEY", (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Empty(app.Jimeng.Received);
        Assert.Equal(10_000, await app.LedgerSumAsync(user.Id));
        await ((IAsyncLifetime)app).DisposeAsync();
    }
}
