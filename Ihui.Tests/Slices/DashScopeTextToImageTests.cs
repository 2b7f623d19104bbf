using System.Net;
using System.Text.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

public sealed class DashScopeTextToImageTests(TasksApp app) : IClassFixture<TasksApp>, IDisposable
{
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.DashScopeTasks.Reset();

    private static string Route(string model) => $"/cozeZhsApi/dashscope/image/generate/{model}";

    private async Task AssertBalancedAsync(string userId, long expected)
    {
        Assert.Equal(expected, await app.BalanceAsync(userId));
        Assert.Equal(expected, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Fact]
    public async Task Qwen_image_plus_answers_the_image_urls_and_charges_per_image()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Route("qwen-image-plus"),
            new { prompt = "一只戴帽子的柴犬", model = "qwen-image-plus", size = "1024*1024", n = 1, user_uuid = user.Id, chat_id = "c1" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = json.GetProperty("data");
        var urls = data.GetProperty("image_urls").EnumerateArray().Select(u => u.GetString()).ToList();
        Assert.Single(urls);
        Assert.StartsWith("https://dashscope-result.example.com/", urls[0]);
        Assert.Equal(200, data.GetProperty("consume_token").GetInt64()); // 100 per image × 2
        await AssertBalancedAsync(user.Id, 10_000 - 200);

        var create = app.DashScopeTasks.Received.Single(r => r.Method == "POST");
        Assert.Equal("/api/v1/services/aigc/text2image/image-synthesis", create.Path);
        Assert.Equal("enable", create.Headers["X-DashScope-Async"]);
        Assert.Equal($"Bearer {IhuiApp.DashScopeKey}", create.Headers["Authorization"]);
        using var body = JsonDocument.Parse(create.Body);
        Assert.Equal("qwen-image-plus", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("一只戴帽子的柴犬", body.RootElement.GetProperty("input").GetProperty("prompt").GetString());
        Assert.Equal("1328*1328", body.RootElement.GetProperty("parameters").GetProperty("size").GetString());
        Assert.All(app.DashScopeTasks.Received.Where(r => r.Method == "GET"), r => Assert.StartsWith("/api/v1/tasks/", r.Path));
    }

    [Fact]
    public async Task Wan_makes_several_images_and_charges_the_reported_count()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Route("wan2.5-t2i-preview"),
            new { prompt = "山水画", size = "1280*1280", n = 3, user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, json.GetProperty("data").GetProperty("image_urls").GetArrayLength());
        Assert.Equal(600, json.GetProperty("data").GetProperty("consume_token").GetInt64());
        await AssertBalancedAsync(user.Id, 10_000 - 600);
    }

    [Fact]
    public async Task A_failed_or_garbled_task_is_an_error_and_refunded()
    {
        var user = await app.CreateUserAsync(10_000);
        var (r1, j1) = await TasksApp.PostAsync(_http, Route("qwen-image"), new { prompt = "违规 [fail]", user_uuid = user.Id });
        var (r2, _) = await TasksApp.PostAsync(_http, Route("qwen-image"), new { prompt = "乱码 [garbage]", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.BadGateway, r1.StatusCode);
        Assert.Contains("DataInspectionFailed", j1.GetProperty("msg").GetString());
        Assert.Equal(HttpStatusCode.BadGateway, r2.StatusCode);
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Theory]
    [InlineData("qwen-image-max", """{"prompt":"x","user_uuid":"USER"}""", "unknown model")]
    [InlineData("qwen-image", """{"user_uuid":"USER"}""", "prompt")]
    [InlineData("qwen-image", """{"prompt":"x","n":2,"user_uuid":"USER"}""", "1 to 1 images")]
    [InlineData("qwen-image", """{"prompt":"x","size":"1920*1080","user_uuid":"USER"}""", "accepts sizes")]
    [InlineData("qwen-image", """{"prompt":"x","model":"wan2.5-t2i-preview","user_uuid":"USER"}""", "must match")]
    [InlineData("wan2.5-t2i-preview", """{"prompt":"x","n":5,"user_uuid":"USER"}""", "1 to 4 images")]
    public async Task Bad_input_is_400_and_the_vendor_is_not_called(string model, string body, string mentions)
    {
        var user = await app.CreateUserAsync(10_000);
        var response = await _http.PostAsync(Route(model), new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentions, (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Empty(app.DashScopeTasks.Received);
        await AssertBalancedAsync(user.Id, 10_000);
    }
}
