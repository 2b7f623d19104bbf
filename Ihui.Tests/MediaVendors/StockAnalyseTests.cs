using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ihui.Features.Stock.StockAnalyse;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.MediaVendors;

public sealed class StockAnalyseTests(MediaVendorsApp app) : IClassFixture<MediaVendorsApp>, IDisposable
{
    private const string Route = "/cozeZhsApi/stock/analyse";
    private const string Valid = """{"stock_code":"600519.SH","analysis_type":"basic","recommendation":"持有","risk_level":"中等","target_price":"1850.5"}""";
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose()
    {
        app.DashScope.QueuedReplies.Clear();
        app.ResetFakes();
    }

    [Fact]
    public async Task Returns_the_seed_shape_from_valid_json_and_charges_exactly()
    {
        var user = await app.CreateUserAsync(100_000);
        app.DashScope.QueuedReplies.Enqueue(Valid);

        var response = await _http.PostAsJsonAsync(Route, new { stock_code = "600519.sh", analysis_type = "basic", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        var result = json.GetProperty("data").GetProperty("analysis_result");
        Assert.Equal(["stock_code", "analysis_type", "recommendation", "risk_level", "target_price", "analysis_date"],
            result.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(("600519.SH", "basic", "持有", "中等", "1850.50"), (result.GetProperty("stock_code").GetString(),
            result.GetProperty("analysis_type").GetString(), result.GetProperty("recommendation").GetString(),
            result.GetProperty("risk_level").GetString(), result.GetProperty("target_price").GetString()));
        Assert.Equal(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd"), result.GetProperty("analysis_date").GetString());
        Assert.Equal(84, json.GetProperty("data").GetProperty("consume_token").GetInt64());
        Assert.Equal(100_000 - 84, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000 - 84, await app.LedgerSumAsync(user.Id));

        var sent = Assert.Single(app.DashScope.Received);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("qwen-plus", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("json_object", body.RootElement.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Contains("600519.SH", body.RootElement.GetProperty("messages")[1].GetProperty("content").GetString());
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", "dashscope", "stock-analyse"), (call.Status, call.Vendor, call.Model));
    }

    [Fact]
    public async Task Invalid_output_is_retried_once_and_both_attempts_are_charged()
    {
        var user = await app.CreateUserAsync(100_000);
        app.DashScope.QueuedReplies.Enqueue("""{"stock_code":"600519.SH","analysis_type":"basic","recommendation":"strong buy","risk_level":"中等","target_price":"1"}""");
        app.DashScope.QueuedReplies.Enqueue("```json\n" + Valid + "\n```");

        var response = await _http.PostAsJsonAsync(Route, new { stock_code = "600519.SH", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal("持有", json.GetProperty("data").GetProperty("analysis_result").GetProperty("recommendation").GetString());
        Assert.Equal(2, app.DashScope.Received.Length);
        Assert.Contains("recommendation", JsonDocument.Parse(app.DashScope.Received[1].Body).RootElement.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.Equal(168, json.GetProperty("data").GetProperty("consume_token").GetInt64());
        Assert.Equal(100_000 - 168, await app.LedgerSumAsync(user.Id));
        Assert.Equal(100_000 - 168, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task Invalid_output_twice_is_502_and_refunded()
    {
        var user = await app.CreateUserAsync(100_000);
        app.DashScope.QueuedReplies.Enqueue("这只股票很好");
        app.DashScope.QueuedReplies.Enqueue("""{"stock_code":"600519.SH"}""");

        var response = await _http.PostAsJsonAsync(Route, new { stock_code = "600519.SH", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("invalid analysis", (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Equal(2, app.DashScope.Received.Length);
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }

    [Fact]
    public async Task A_vendor_failure_is_refunded()
    {
        var user = await app.CreateUserAsync(100_000);
        app.DashScope.Mode = FakeMode.Fail;
        var response = await _http.PostAsJsonAsync(Route, new { stock_code = "AAPL", user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
    }

    [Theory]
    [InlineData("{\"analysis_type\":\"basic\",\"user_uuid\":\"USER\"}", "stock_code")]
    [InlineData("{\"stock_code\":\"hello world\",\"user_uuid\":\"USER\"}", "stock_code")]
    [InlineData("{\"stock_code\":\"12345\",\"user_uuid\":\"USER\"}", "stock_code")]
    [InlineData("{\"stock_code\":\"'; DROP TABLE x\",\"user_uuid\":\"USER\"}", "stock_code")]
    [InlineData("{\"stock_code\":\"600519\",\"analysis_type\":\"astrology\",\"user_uuid\":\"USER\"}", "analysis_type")]
    [InlineData("{\"stock_code\":600519,\"user_uuid\":\"USER\"}", "stock_code")]
    public async Task Bad_input_is_400_without_a_vendor_call(string body, string mentions)
    {
        var user = await app.CreateUserAsync(50_000);
        var response = await _http.PostAsync(Route, new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(400, json.GetProperty("code").GetInt32());
        Assert.Contains(mentions, json.GetProperty("msg").GetString());
        Assert.Empty(app.DashScope.Received);
        Assert.Equal(50_000, await app.BalanceAsync(user.Id));
    }

    [Theory]
    [InlineData("600519")]
    [InlineData("sz000001")]
    [InlineData("000001.SZ")]
    [InlineData("00700.HK")]
    [InlineData("HK00700")]
    [InlineData("AAPL")]
    [InlineData("BRK.B")]
    public void Accepted_stock_codes(string code) =>
        Assert.Matches(StockAnalyseRequest.StockCodePattern(), code.ToUpperInvariant());

    [Theory]
    [InlineData("""{"stock_code":"OTHER","analysis_type":"basic","recommendation":"持有","risk_level":"中等","target_price":"1"}""", "stock_code")]
    [InlineData("""{"stock_code":"AAPL","analysis_type":"technical","recommendation":"持有","risk_level":"中等","target_price":"1"}""", "analysis_type")]
    [InlineData("""{"stock_code":"AAPL","analysis_type":"basic","recommendation":"持有","risk_level":"极高","target_price":"1"}""", "risk_level")]
    [InlineData("""{"stock_code":"AAPL","analysis_type":"basic","recommendation":"持有","risk_level":"低","target_price":"-3"}""", "target_price")]
    [InlineData("""{"stock_code":"AAPL","analysis_type":"basic","recommendation":"持有","risk_level":"低"}""", "target_price")]
    [InlineData("""[1,2]""", "object")]
    public void Output_validation_names_the_problem(string content, string problem)
    {
        var ok = StockAnalysisOutput.TryParse(content, new StockAnalyseRequest { StockCode = "aapl" }, "2026-02-25", out var analysis, out var why);
        Assert.False(ok);
        Assert.Null(analysis);
        Assert.Contains(problem, why);
    }

    [Fact]
    public void Numeric_target_prices_are_formatted_with_two_decimals()
    {
        Assert.True(StockAnalysisOutput.TryParse("""{"stock_code":"AAPL","analysis_type":"basic","recommendation":"买入","risk_level":"高","target_price":212.3}""",
            new StockAnalyseRequest { StockCode = "AAPL" }, "2026-02-25", out var a, out _));
        Assert.Equal(new StockAnalysis("AAPL", "basic", "买入", "高", "212.30", "2026-02-25"), a);
    }
}
