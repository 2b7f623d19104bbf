using System.Net;
using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

/// <summary>Seed 000 #8 (qwen-image-edit) and #10 (qwen3-asr-flash): DashScope's synchronous multimodal generation.</summary>
public sealed class DashScopeSyncMediaTests(TasksApp app) : IClassFixture<TasksApp>, IDisposable
{
    private const string Edit = "/api/v1/dashscope/image/edit/simple";
    private const string Asr = "/cozeZhsApi/dashscope/audio/recognize";
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.DashScopeTasks.Reset();

    private async Task AssertBalancedAsync(string userId, long expected)
    {
        Assert.Equal(expected, await app.BalanceAsync(userId));
        Assert.Equal(expected, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Fact]
    public async Task Image_edit_answers_the_edited_url_and_charges_one_image()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Edit,
            new { prompt = "把猫换成狗", image_url = "https://example.com/cat.png", model = "qwen-image-edit", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal("https://dashscope-result.example.com/edited.png", json.GetProperty("data").GetProperty("edited_image_url").GetString());
        Assert.Equal(300, json.GetProperty("data").GetProperty("consume_token").GetInt64());
        await AssertBalancedAsync(user.Id, 10_000 - 300);

        var sent = app.DashScopeTasks.Received.Single();
        Assert.Equal("/api/v1/services/aigc/multimodal-generation/generation", sent.Path);
        Assert.False(sent.Headers.ContainsKey("X-DashScope-Async"));
        using var body = JsonDocument.Parse(sent.Body);
        var content = body.RootElement.GetProperty("input").GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("https://example.com/cat.png", content[0].GetProperty("image").GetString());
        Assert.Equal("把猫换成狗", content[1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Asr_answers_the_seed_shape_and_charges_the_seconds_heard()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Asr,
            new { audio_url = "https://example.com/a.mp3", model = "qwen3-asr-flash", language = "zh", system_prompt = "天气预报", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal("识别完成", json.GetProperty("message").GetString());
        Assert.Equal(app.DashScopeTasks.Transcript, json.GetProperty("transcription").GetString());
        Assert.Equal("zh", json.GetProperty("language_detected").GetString());
        Assert.Equal(69, json.GetProperty("total_tokens").GetInt64());
        Assert.Equal(6, json.GetProperty("consume_token").GetInt64()); // 3 s × 1 × 2
        Assert.False(json.TryGetProperty("code", out _));
        await AssertBalancedAsync(user.Id, 10_000 - 6);

        using var body = JsonDocument.Parse(app.DashScopeTasks.Received.Single().Body);
        var messages = body.RootElement.GetProperty("input").GetProperty("messages");
        Assert.Equal("天气预报", messages[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("https://example.com/a.mp3", messages[1].GetProperty("content")[0].GetProperty("audio").GetString());
        Assert.Equal("zh", body.RootElement.GetProperty("parameters").GetProperty("asr_options").GetProperty("language").GetString());
    }

    [Theory]
    [InlineData("""{"user_uuid":"USER"}""", 400, "audio_url")]
    [InlineData("""{"audio_url":"file:///etc/passwd","user_uuid":"USER"}""", 400, "audio_url")]
    [InlineData("""{"audio_url":"https://e.com/a.mp3","model":"whisper-1","user_uuid":"USER"}""", 400, "unknown model")]
    [InlineData("""{"audio_url":"https://e.com/a.mp3","language":"klingon","user_uuid":"USER"}""", 400, "language")]
    [InlineData("""{"audio_url": oops""", 400, "malformed JSON")]
    [InlineData("""{"audio_url":"https://e.com/a.mp3"}""", 401, "user_uuid")]
    public async Task Asr_errors_keep_the_seed_shape(string body, int status, string mentions)
    {
        var user = await app.CreateUserAsync(10_000);
        var response = await _http.PostAsync(Asr, new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.False(json.GetProperty("success").GetBoolean());
        Assert.Equal(status, json.GetProperty("code").GetInt32());
        Assert.Contains(mentions, json.GetProperty("message").GetString());
        Assert.Empty(app.DashScopeTasks.Received);
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Fact]
    public async Task Vendor_failures_are_refunded_on_both_routes()
    {
        var user = await app.CreateUserAsync(10_000);
        app.DashScopeTasks.Mode = FakeMode.Fail;
        var (r1, j1) = await TasksApp.PostAsync(_http, Asr, new { audio_url = "https://example.com/a.mp3", user_uuid = user.Id });
        var (r2, j2) = await TasksApp.PostAsync(_http, Edit, new { prompt = "x", image_url = "https://example.com/cat.png", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.BadGateway, r1.StatusCode);
        Assert.False(j1.GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.BadGateway, r2.StatusCode);
        Assert.Equal(502, j2.GetProperty("code").GetInt32());
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Theory]
    [InlineData("""{"image_url":"https://e.com/a.png","user_uuid":"USER"}""", "prompt")]
    [InlineData("""{"prompt":"x","image_url":"ftp://e.com/a.png","user_uuid":"USER"}""", "image_url")]
    [InlineData("""{"prompt":"x","image_url":"https://e.com/a.png","model":"wanx-edit","user_uuid":"USER"}""", "unknown model")]
    public async Task Image_edit_bad_input_is_400_without_a_vendor_call(string body, string mentions)
    {
        var user = await app.CreateUserAsync(10_000);
        var response = await _http.PostAsync(Edit, new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentions, (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Empty(app.DashScopeTasks.Received);
    }
}
