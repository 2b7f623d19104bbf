using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.IFlytek;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;

namespace Ihui.Tests.Vendors;

public sealed class IFlytekSignerTests
{
    // Computed outside this code base (Python hmac/hashlib/base64) for the values below.
    private const string ApiKey = "addd2272b6d8b7c8abdd79531420ca3b";
    private const string ApiSecret = "MjlmNzkzNmZkMDQ2OTc0ZDdmNGE2ZTZi";
    private const string ExpectedSignature = "FDRkdCYXjZVH4eixNDmlOnD5l1BxuV8ayuCdXxCOZgY=";
    private const string ExpectedAuthorization =
        "YXBpX2tleT0iYWRkZDIyNzJiNmQ4YjdjOGFiZGQ3OTUzMTQyMGNhM2IiLCBhbGdvcml0aG09ImhtYWMtc2hhMjU2IiwgaGVhZGVycz0iaG9zdCBkYXRlIHJlcXVlc3Qt" +
        "bGluZSIsIHNpZ25hdHVyZT0iRkRSa2RDWVhqWlZINGVpeE5EbWxPbkQ1bDFCeHVWOGF5dUNkWHhDT1pnWT0i";

    private static readonly DateTimeOffset At = new(2024, 1, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Signs_the_spark_url_exactly_as_computed_independently()
    {
        var signed = IFlytekSigner.Sign(new Uri("wss://spark-api.xf-yun.com/v3.5/chat"), "GET", ApiKey, ApiSecret, At);

        Assert.Equal("wss", signed.Scheme);
        Assert.Equal("/v3.5/chat", signed.AbsolutePath);
        var query = QueryHelpers.ParseQuery(signed.Query);
        Assert.Equal("Mon, 01 Jan 2024 08:00:00 GMT", query["date"].ToString());
        Assert.Equal("spark-api.xf-yun.com", query["host"].ToString());
        Assert.Equal(ExpectedAuthorization, query["authorization"].ToString());
        Assert.Equal(ExpectedSignature, IFlytekSigner.Signature(ApiSecret, "spark-api.xf-yun.com", "Mon, 01 Jan 2024 08:00:00 GMT", "GET", "/v3.5/chat"));
    }

    [Fact]
    public void The_method_and_port_are_part_of_what_is_signed()
    {
        var get = QueryHelpers.ParseQuery(IFlytekSigner.Sign(new Uri("https://api.xf-yun.com/v1/private/sf8e6aca1"), "GET", ApiKey, ApiSecret, At).Query);
        var post = QueryHelpers.ParseQuery(IFlytekSigner.Sign(new Uri("https://api.xf-yun.com/v1/private/sf8e6aca1"), "POST", ApiKey, ApiSecret, At).Query);
        var port = QueryHelpers.ParseQuery(IFlytekSigner.Sign(new Uri("http://127.0.0.1:5123/v1/private/sf8e6aca1"), "POST", ApiKey, ApiSecret, At).Query);
        Assert.NotEqual(get["authorization"].ToString(), post["authorization"].ToString());
        Assert.Equal("127.0.0.1:5123", port["host"].ToString());
        var origin = Encoding.UTF8.GetString(Convert.FromBase64String(post["authorization"].ToString()));
        Assert.StartsWith($"api_key=\"{ApiKey}\", algorithm=\"hmac-sha256\", headers=\"host date request-line\", signature=\"", origin);
    }

    [Fact]
    public void Credentials_never_show_in_their_string_form()
    {
        var c = new IFlytekCredentials("app", ApiKey, ApiSecret);
        Assert.DoesNotContain(ApiKey, c.ToString());
        Assert.DoesNotContain(ApiSecret, c.ToString());
    }
}

/// <summary>The fake refuses what iFlytek refuses, so the gateway's passing tests mean something.</summary>
public sealed class FakeIFlytekSignatureTests : IAsyncLifetime
{
    private readonly FakeIFlytek _fake = new(IFlytekApp.AppId, IFlytekApp.ApiKey, IFlytekApp.ApiSecret);

    public Task InitializeAsync() => _fake.StartAsync();
    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private Uri Url(string path, string scheme = "ws") => new(scheme + _fake.BaseUrl["http".Length..] + path);

    private static async Task<int> HandshakeAsync(Uri url)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        try
        {
            await ws.ConnectAsync(url, CancellationToken.None);
            return (int)ws.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return (int)ws.HttpStatusCode;
        }
    }

    [Fact]
    public async Task A_fresh_signature_opens_the_socket()
    {
        var url = IFlytekSigner.Sign(Url(FakeIFlytek.SparkPath), "GET", IFlytekApp.ApiKey, IFlytekApp.ApiSecret, DateTimeOffset.UtcNow);
        Assert.Equal(101, await HandshakeAsync(url));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(-400)]
    [InlineData(400)]
    public async Task A_date_more_than_300_seconds_away_fails_the_handshake(int offsetSeconds)
    {
        var url = IFlytekSigner.Sign(Url(FakeIFlytek.IatPath), "GET", IFlytekApp.ApiKey, IFlytekApp.ApiSecret,
            DateTimeOffset.UtcNow.AddSeconds(offsetSeconds));
        Assert.Equal(401, await HandshakeAsync(url));
        Assert.Contains(_fake.Refusals, r => r.Contains("valid date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forged_signature_a_wrong_key_or_a_wrong_method_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(401, await HandshakeAsync(IFlytekSigner.Sign(Url(FakeIFlytek.SparkPath), "GET", IFlytekApp.ApiKey, "forged-secret", now)));
        Assert.Equal(401, await HandshakeAsync(IFlytekSigner.Sign(Url(FakeIFlytek.SparkPath), "GET", "someone-elses-key", IFlytekApp.ApiSecret, now)));
        Assert.Equal(401, await HandshakeAsync(IFlytekSigner.Sign(Url(FakeIFlytek.SparkPath), "POST", IFlytekApp.ApiKey, IFlytekApp.ApiSecret, now)));
        // Signed for one path, used on another.
        var signed = IFlytekSigner.Sign(Url(FakeIFlytek.SparkPath), "GET", IFlytekApp.ApiKey, IFlytekApp.ApiSecret, now);
        Assert.Equal(401, await HandshakeAsync(new Uri(Url(FakeIFlytek.IatPath) + signed.Query)));

        using var http = new HttpClient();
        var ocr = await http.PostAsJsonAsync(IFlytekSigner.Sign(Url(FakeIFlytek.OcrPath, "http"), "GET", IFlytekApp.ApiKey, IFlytekApp.ApiSecret, now), new { });
        Assert.Equal(HttpStatusCode.Unauthorized, ocr.StatusCode);
        Assert.Equal("HMAC signature does not match", (await IhuiApp.JsonAsync(ocr)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Dictation_without_wpgs_concatenates_the_results_in_order()
    {
        var ws = "ws" + _fake.BaseUrl["http".Length..];
        var options = new IFlytekOptions(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["XFYUN_APP_ID"] = IFlytekApp.AppId, ["XFYUN_API_KEY"] = IFlytekApp.ApiKey, ["XFYUN_API_SECRET"] = IFlytekApp.ApiSecret,
            ["XFYUN_IAT_URL"] = ws + FakeIFlytek.IatPath, ["XFYUN_IAT_WPGS"] = "false",
            ["XFYUN_IAT_FRAME_BYTES"] = "1000", ["XFYUN_IAT_FRAME_INTERVAL_MS"] = "5",
        }).Build());
        var client = new IatClient(options, new VendorStreamSettings(TimeSpan.FromSeconds(60)), TimeProvider.System);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var text = await client.RecognizeAsync(new byte[4_500], CancellationToken.None);

        Assert.Equal("你好世界", text);
        Assert.True(clock.ElapsedMilliseconds >= 5 * 5, "five frames are paced 5 ms apart");
        var session = Assert.Single(_fake.IatSessions);
        Assert.Equal([1000, 1000, 1000, 1000, 500], session.FrameBytes);
        Assert.Null(session.First["business"]!["dwa"]);
    }

    [Fact]
    public async Task Missing_credentials_name_the_variable()
    {
        var options = new IFlytekOptions(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["XFYUN_APP_ID"] = "app", ["XFYUN_API_KEY"] = "key",
        }).Build());
        var e = await Assert.ThrowsAsync<ApiException>(() => new SparkChatClient(options, new VendorStreamSettings(TimeSpan.FromSeconds(60)), TimeProvider.System)
            .CompleteAsync(new SparkChatCall([new SparkMessage("user", "hi")], 10), CancellationToken.None));
        Assert.Equal(503, e.Status);
        Assert.Contains("XFYUN_API_SECRET", e.Message);
    }
}

/// <summary>The plain host has no XFYUN_* settings: every iFlytek route answers 503 naming the variable, and refunds.</summary>
public sealed class IFlytekNotConfiguredTests(IhuiApp app) : IClassFixture<IhuiApp>
{
    [Fact]
    public async Task Routes_answer_503_naming_XFYUN_APP_ID_and_charge_nothing()
    {
        var user = await app.CreateUserAsync(100_000);
        var http = app.CreateClient();
        var response = await http.PostAsJsonAsync("/textModel/chat", new { uuid = user.Id, dialog = new[] { new { role = "user", content = "hi" } } });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(503, json.GetProperty("code").GetInt32());
        Assert.Contains("XFYUN_APP_ID", json.GetProperty("msg").GetString());
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
    }
}
