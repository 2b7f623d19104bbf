using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Admin;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Accounts;

/// <summary>Seed 002 <c>POST /admin/console_test</c>: Spark for a signed-in admin, call-logged and audited, never billed.</summary>
public sealed class ConsoleTestTests(ConsoleTestApp app) : IClassFixture<ConsoleTestApp>, IDisposable
{
    private const string Route = "/admin/console_test";
    private const string FullReply = "您好，我是讯飞星火认知大模型。";

    public void Dispose() => app.XFyun.ResetAll();

    private static object Body(int? limit = 100, int? topK = 2, double? temperature = 1) => new
    {
        dialog = new object[]
        {
            new { role = "system", content = "query text" },
            new { role = "user", content = "query text" },
            new { role = "assistant", content = "response text" },
            new { role = "user", content = "再说一遍" },
        },
        limit,
        top_k = topK,
        temperature,
    };

    private async Task<HttpResponseMessage> PostRawAsync(string json, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await app.CreateClient().SendAsync(request);
    }

    private Task<HttpResponseMessage> PostAsync(object body, string? token) => PostRawAsync(JsonSerializer.Serialize(body), token);

    private async Task<(long Users, long Balances, long LedgerRows, long LedgerSum)> MoneyAsync() => (
        await app.ScalarAsync<long>("SELECT COUNT(*) FROM users"),
        await app.ScalarAsync<long>("SELECT COALESCE(SUM(balance), 0) FROM users"),
        await app.ScalarAsync<long>("SELECT COUNT(*) FROM ledger"),
        await app.ScalarAsync<long>("SELECT COALESCE(SUM(delta), 0) FROM ledger"));

    private async Task<string> RootIdAsync() => (await app.Admins.FindByNameAsync(AccountsApp.RootAdmin))!.Id;

    [Fact]
    public async Task Answers_the_seed_shape_with_sparks_token_count_logs_and_audits_the_call_and_moves_no_money()
    {
        await app.CreateUserAsync(1_000);
        var token = await app.RootTokenAsync();
        var rootId = await RootIdAsync();
        var money = await MoneyAsync();
        var frames = app.XFyun.SparkFrames.Count;
        var audits = (await app.AuditAsync("console_test")).Count;
        var calls = (await app.CallsAsync(rootId)).Count;

        var response = await PostAsync(Body(), token);

        var json = await AccountsApp.AssertOkAsync(response, "文本模型回复成功");
        Assert.Equal(FullReply, json.GetProperty("content").GetString());
        Assert.Equal(30 + 12, json.GetProperty("consume_token").GetInt64());
        Assert.False(json.TryGetProperty("tokens", out _));
        Assert.False(json.TryGetProperty("data", out _));

        var chat = app.XFyun.SparkFrames.Skip(frames).Single();
        Assert.Equal(ConsoleTestApp.AppId, chat["header"]!["app_id"]!.GetValue<string>());
        var parameters = chat["parameter"]!["chat"]!;
        Assert.Equal("generalv3.5", parameters["domain"]!.GetValue<string>());
        Assert.Equal((100, 2, 1.0), (parameters["max_tokens"]!.GetValue<int>(), parameters["top_k"]!.GetValue<int>(), parameters["temperature"]!.GetValue<double>()));
        var text = chat["payload"]!["message"]!["text"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "user"], text.Select(t => t!["role"]!.GetValue<string>()));
        Assert.Equal("再说一遍", text[3]!["content"]!.GetValue<string>());

        Assert.Equal(money, await MoneyAsync());
        var audit = (await app.AuditAsync("console_test")).Skip(audits).Single();
        Assert.Equal((AccountsApp.RootAdmin, "generalv3.5"), (audit.Admin, audit.Target));
        var call = (await app.CallsAsync(rootId)).Skip(calls).Single();
        Assert.Equal(("succeeded", Route, "iflytek", "generalv3.5"), (call.Status, call.Route, call.Vendor, call.Model));
        Assert.Equal((30L, 12L, 0L, 0L), (call.UsageIn, call.UsageOut, call.Reserved, call.Charged));
    }

    [Fact]
    public async Task Limit_top_k_and_temperature_are_optional_and_default_to_the_configured_answer_cap()
    {
        var frames = app.XFyun.SparkFrames.Count;
        var response = await PostAsync(new { dialog = new[] { new { role = "user", content = "你好" } } }, await app.RootTokenAsync());
        await AccountsApp.AssertOkAsync(response, "文本模型回复成功");
        var parameters = app.XFyun.SparkFrames.Skip(frames).Single()["parameter"]!["chat"]!;
        Assert.Equal(1000, parameters["max_tokens"]!.GetValue<int>());
        Assert.Null(parameters["top_k"]);
        Assert.Null(parameters["temperature"]);
    }

    [Fact]
    public async Task Missing_refresh_forged_expired_and_revoked_tokens_are_401_and_never_reach_spark()
    {
        var root = (await app.Admins.FindByNameAsync(AccountsApp.RootAdmin))!;
        var (_, refresh) = await app.AdminLoginAsync(AccountsApp.RootAdmin, AccountsApp.RootPassword);
        var forged = new AdminTokens(app.JwtOptions with { SigningKey = Encoding.UTF8.GetBytes("another-secret-key-that-is-long-enough-123") },
            TimeProvider.System).Issue(root, TokenUse.Access);
        var expired = new AdminTokens(app.JwtOptions, new ShiftedClock(TimeSpan.FromDays(-1))).Issue(root, TokenUse.Access);
        var stale = new AdminTokens(app.JwtOptions, TimeProvider.System).Issue(root with { TokenVersion = root.TokenVersion - 1 }, TokenUse.Access);
        var frames = app.XFyun.SparkFrames.Count;
        var audits = (await app.AuditAsync("console_test")).Count;

        await AccountsApp.AssertErrorAsync(await PostAsync(Body(), null), HttpStatusCode.Unauthorized, "admin access token required");
        foreach (var token in new[] { refresh, forged, expired, stale, "not-a-jwt" })
            await AccountsApp.AssertErrorAsync(await PostAsync(Body(), token), HttpStatusCode.Unauthorized, "invalid or expired admin access token");
        // A user's uuid is not an admin credential either.
        var user = await app.CreateUserAsync(1_000);
        await AccountsApp.AssertErrorAsync(await PostAsync(Body(), user.Id), HttpStatusCode.Unauthorized);

        Assert.Equal(frames, app.XFyun.SparkFrames.Count);
        Assert.Equal(audits, (await app.AuditAsync("console_test")).Count);
    }

    [Theory]
    [InlineData("{\"dialog\":[]}", "dialog")]
    [InlineData("{\"dialog\":\"hello\"}", null)]
    [InlineData("{\"dialog\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "role")]
    [InlineData("{\"dialog\":[{\"role\":\"user\"}]}", "content")]
    [InlineData("{\"limit\":100}", "dialog")]
    [InlineData("{\"dialog\":[{\"role\":\"user\",\"content\":\"hi\"}],\"limit\":0}", "limit")]
    [InlineData("{\"dialog\":[{\"role\":\"user\",\"content\":\"hi\"}],\"limit\":8193}", "limit")]
    [InlineData("{\"dialog\":[{\"role\":\"user\",\"content\":\"hi\"}],\"limit\":\"many\"}", null)]
    [InlineData("{\"dialog\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_k\":0}", "top_k")]
    [InlineData("{\"dialog\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_k\":7}", "top_k")]
    [InlineData("{\"dialog\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0}", "temperature")]
    [InlineData("{\"dialog\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":1.5}", "temperature")]
    [InlineData("{\"dialog\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", null)]
    [InlineData("{\"dialog\":[", null)]
    [InlineData("", null)]
    public async Task Bad_input_is_400_in_the_seed_envelope_and_never_reaches_spark(string body, string? field)
    {
        var frames = app.XFyun.SparkFrames.Count;
        var audits = (await app.AuditAsync("console_test")).Count;
        await AccountsApp.AssertErrorAsync(await PostRawAsync(body, await app.RootTokenAsync()), HttpStatusCode.BadRequest, field);
        Assert.Equal(frames, app.XFyun.SparkFrames.Count);
        Assert.Equal(audits, (await app.AuditAsync("console_test")).Count);
    }

    [Theory]
    [InlineData(10013, HttpStatusCode.BadRequest)]
    [InlineData(11202, HttpStatusCode.TooManyRequests)]
    [InlineData(10000, HttpStatusCode.BadGateway)]
    public async Task Spark_failures_are_mapped_to_their_status_logged_as_failed_and_not_audited(int code, HttpStatusCode expected)
    {
        var rootId = await RootIdAsync();
        var money = await MoneyAsync();
        var audits = (await app.AuditAsync("console_test")).Count;
        var calls = (await app.CallsAsync(rootId)).Count;
        app.XFyun.Mode = FakeMode.Fail;
        app.XFyun.FailCode = code;

        var json = await AccountsApp.AssertErrorAsync(await PostAsync(Body(), await app.RootTokenAsync()), expected);

        Assert.False(json.TryGetProperty("content", out _));
        Assert.Equal(money, await MoneyAsync());
        Assert.Equal(audits, (await app.AuditAsync("console_test")).Count);
        var call = (await app.CallsAsync(rootId)).Skip(calls).Single();
        Assert.Equal(("failed", (int)expected, 0L), (call.Status, call.ErrorCode!.Value, call.Charged));
    }

    [Fact]
    public async Task A_refused_handshake_is_502_without_echoing_secrets_and_a_stalled_spark_is_408()
    {
        var money = await MoneyAsync();
        app.XFyun.ApiSecret = "rotated-secret-0123456789abcdef";
        var refused = await AccountsApp.AssertErrorAsync(await PostAsync(Body(), await app.RootTokenAsync()), HttpStatusCode.BadGateway, "XFYUN_API_SECRET");
        Assert.DoesNotContain(AccountsApp.XfyunSecret, refused.GetRawText());
        Assert.DoesNotContain(AccountsApp.XfyunKey, refused.GetRawText());

        app.XFyun.ResetAll();
        app.XFyun.Stall = true;
        await AccountsApp.AssertErrorAsync(await PostAsync(Body(), await app.RootTokenAsync()), HttpStatusCode.RequestTimeout);
        Assert.Equal(money, await MoneyAsync());
    }
}
