using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Gemini.GeminiGenerate;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

public sealed class GeminiGenerateTests(IhuiApp app) : IClassFixture<IhuiApp>, IDisposable
{
    private const string Route = "/gemini/3/generate";
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose()
    {
        app.Gemini.Reset();
        app.Gemini.BlockReason = null;
    }

    [Fact]
    public async Task Generates_through_http_with_the_seed_fields()
    {
        var user = await app.CreateUserAsync(100_000);
        var before = app.Gemini.Requests.Count;

        var response = await _http.PostAsJsonAsync(Route, new { prompt = "写一句诗", model = "gemini-3", temperature = 0.7, max_tokens = 1000, user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await IhuiApp.JsonAsync(response)).GetProperty("data");
        Assert.Equal("Gemini says hello.", data.GetProperty("content").GetString());
        // 8 prompt + (5 candidates + 7 thoughts) output at 1000/1K, × 2.0 = 40.
        Assert.Equal(40, data.GetProperty("consume_token").GetInt64());

        var sent = app.Gemini.Received.Skip(before).Single();
        Assert.Equal("/v1beta/models/gemini-3-pro-preview:generateContent", sent.Path);
        Assert.Equal(IhuiApp.GeminiKey, sent.Headers["x-goog-api-key"]);
        Assert.DoesNotContain("key=", sent.Query);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("写一句诗", body.RootElement.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(1000, body.RootElement.GetProperty("generationConfig").GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal(0.7, body.RootElement.GetProperty("generationConfig").GetProperty("temperature").GetDouble());
    }

    [Fact]
    public async Task Runs_through_the_pipeline_via_ISender()
    {
        var user = await app.CreateUserAsync(100_000);

        var result = await app.SendAsync(new GeminiGenerateRequest { Prompt = "hello", UserUuid = user.Id, MaxTokens = 50 });

        Assert.Equal("Gemini says hello.", result.Content);
        Assert.Equal((8L, 12L), (result.Usage.InputTokens, result.Usage.OutputTokens));
        Assert.NotNull(result.Receipt);
        Assert.Equal(40, result.Receipt!.Charged);
        Assert.Equal(100_000 - 40, result.Receipt.Balance);
        Assert.Equal(100_000 - 40, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task Validation_runs_before_the_vendor_in_the_pipeline()
    {
        var user = await app.CreateUserAsync(100_000);
        var before = app.Gemini.Requests.Count;

        var e = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            app.SendAsync(new GeminiGenerateRequest { Prompt = "", Temperature = 3, MaxTokens = 0, UserUuid = user.Id }));

        Assert.Contains(e.Errors, f => f.Field == "prompt");
        Assert.Contains(e.Errors, f => f.Field == "temperature");
        Assert.Contains(e.Errors, f => f.Field == "max_tokens");
        Assert.Equal(before, app.Gemini.Requests.Count);
    }

    [Fact]
    public async Task A_blocked_prompt_is_a_400_and_refunded()
    {
        var user = await app.CreateUserAsync(100_000);
        app.Gemini.BlockReason = "SAFETY";

        var response = await _http.PostAsJsonAsync(Route, new { prompt = "bad", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("SAFETY", (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task A_vendor_500_is_502_and_the_hold_is_returned()
    {
        var user = await app.CreateUserAsync(100_000);
        app.Gemini.Mode = FakeMode.Fail;

        var response = await _http.PostAsJsonAsync(Route, new { prompt = "hi", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal("failed", Assert.Single(await app.CallsAsync(user.Id)).Status);
    }

    [Fact]
    public async Task Wrong_typed_fields_are_400()
    {
        var user = await app.CreateUserAsync(100_000);
        var response = await _http.PostAsync(Route, new StringContent($"{{\"prompt\":\"hi\",\"temperature\":\"hot\",\"user_uuid\":\"{user.Id}\"}}",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("temperature", (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
    }
}

/// <summary>A host whose Gemini key is wrong, and one with no key at all.</summary>
public sealed class GeminiCredentialTests
{
    private sealed class WrongKeyApp : IhuiApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [new("GEMINI_API_KEY", "AIza-wrong")];
    }

    private sealed class NoKeyApp : IhuiApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [new("GEMINI_API_KEY", "")];
    }

    [Fact]
    public async Task A_rejected_key_is_a_502_naming_the_variable_and_never_echoes_the_key()
    {
        var app = new WrongKeyApp();
        await app.InitializeAsync();
        var user = await app.CreateUserAsync(100_000);

        var response = await app.CreateClient().PostAsJsonAsync("/gemini/3/generate", new { prompt = "hi", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("GEMINI_API_KEY", text);
        Assert.DoesNotContain("AIza-wrong", text);
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        await app.DisposeAsync();
    }

    [Fact]
    public async Task A_missing_key_is_503_naming_the_variable_and_nothing_is_held()
    {
        var app = new NoKeyApp();
        await app.InitializeAsync();
        var user = await app.CreateUserAsync(100_000);

        var response = await app.CreateClient().PostAsJsonAsync("/gemini/3/generate", new { prompt = "hi", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(503, json.GetProperty("code").GetInt32());
        Assert.Contains("GEMINI_API_KEY", json.GetProperty("msg").GetString());
        Assert.Empty(app.Gemini.Received);
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(user.Id));
        await app.DisposeAsync();
    }
}
