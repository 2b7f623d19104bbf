using System.Net;
using System.Text.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

public sealed class DashScopeImageToImageTests(TasksApp app) : IClassFixture<TasksApp>, IDisposable
{
    private const string Route = "/cozeZhsApi/dashscope/image-to-image";
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.DashScopeTasks.Reset();

    private static object Image(string url) => new { imgUrl = url, originalUrl = url, id = "img-1", width = 1024, height = 1024 };

    [Fact]
    public async Task Answers_image_urls_and_lists_and_charges_per_image()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Route, new
        {
            images = new[] { Image("https://example.com/a.png"), Image("https://example.com/b.png") },
            prompt = "把两张图融合成水彩画",
            user_uuid = user.Id,
            zidingyican = new object[] { new { name = "n", desc = "数量", value = "2" }, new { name = "seed", value = 7 } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = json.GetProperty("data");
        Assert.Equal(2, data.GetProperty("image_urls").GetArrayLength());
        var list = data.GetProperty("lists")[0];
        Assert.Equal("把两张图融合成水彩画", list.GetProperty("text").GetString());
        Assert.Equal(data.GetProperty("image_urls")[1].GetString(), list.GetProperty("images")[1].GetString());
        Assert.Equal(400, data.GetProperty("consume_token").GetInt64());
        Assert.Equal(10_000 - 400, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000 - 400, await app.LedgerSumAsync(user.Id));

        var create = app.DashScopeTasks.Received.Single(r => r.Method == "POST");
        Assert.Equal("/api/v1/services/aigc/image2image/image-synthesis", create.Path);
        Assert.Equal("enable", create.Headers["X-DashScope-Async"]);
        using var body = JsonDocument.Parse(create.Body);
        Assert.Equal("wan2.5-i2i-preview", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("https://example.com/b.png", body.RootElement.GetProperty("input").GetProperty("images")[1].GetString());
        Assert.Equal(7, body.RootElement.GetProperty("parameters").GetProperty("seed").GetInt32());
    }

    [Theory]
    [InlineData("""{"prompt":"x","user_uuid":"USER"}""", "images")]
    [InlineData("""{"prompt":"x","images":[{"imgUrl":"nope"}],"user_uuid":"USER"}""", "imgUrl")]
    [InlineData("""{"images":[{"imgUrl":"https://e.com/a.png"}],"user_uuid":"USER"}""", "prompt")]
    [InlineData("""{"prompt":"x","images":[{"imgUrl":"https://e.com/1.png"},{"imgUrl":"https://e.com/2.png"},{"imgUrl":"https://e.com/3.png"},{"imgUrl":"https://e.com/4.png"}],"user_uuid":"USER"}""", "1 to 3 images")]
    [InlineData("""{"prompt":"x","images":[{"imgUrl":"https://e.com/a.png"}],"user_uuid":"USER","zidingyican":[{"name":"n","value":9}]}""", "n must be")]
    [InlineData("""{"prompt":"x","images":[null],"user_uuid":"USER"}""", "imgUrl")]
    [InlineData("""{"prompt":"x","images":[{"imgUrl":"https://e.com/a.png"}],"user_uuid":"USER","zidingyican":[null]}""", "zidingyican")]
    public async Task Bad_input_is_400_and_the_vendor_is_not_called(string body, string mentions)
    {
        var user = await app.CreateUserAsync(10_000);
        var response = await _http.PostAsync(Route, new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentions, (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Empty(app.DashScopeTasks.Received);
        Assert.Equal(10_000, await app.BalanceAsync(user.Id));
    }
}
