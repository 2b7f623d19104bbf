using System.Net;
using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

/// <summary>Seed 000 #2 and #3: synchronous Seedream, billed per generated image by the request billing behaviour.</summary>
public sealed class DoubaoSeedreamTests(TasksApp app) : IClassFixture<TasksApp>, IDisposable
{
    private const string Generate = "/cozeZhsApi/proxy/doubao-seedream-generation";
    private const string Edit = "/cozeZhsApi/proxy/doubao-image-edit";
    private const long PerImage = 150 * 2;
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.Ark.Reset();

    private async Task AssertBalancedAsync(string userId, long expected)
    {
        Assert.Equal(expected, await app.BalanceAsync(userId));
        Assert.Equal(expected, await app.LedgerSumAsync(userId));
        Assert.Equal(0, await app.HoldCountAsync(userId));
    }

    [Fact]
    public async Task Generation_answers_the_image_url_and_charges_the_generated_images()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Generate, new
        {
            prompt = "赛博朋克城市", images = new[] { "https://example.com/ref.png" }, user_uuid = user.Id, chat_id = "c",
            zidingyican = new object[]
            {
                new { name = "size", value = "2K" }, new { name = "sequential_image_generation", value = "auto" },
                new { name = "max_images", value = 3 }, new { name = "unknown_thing", value = "x" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = json.GetProperty("data");
        Assert.Equal("https://ark-cdn.example.com/seedream-1.jpeg", data.GetProperty("image_url").GetString());
        Assert.Equal(3, data.GetProperty("image_urls").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("task_id").GetString()));
        Assert.Equal(3 * PerImage, data.GetProperty("consume_token").GetInt64());
        await AssertBalancedAsync(user.Id, 10_000 - 3 * PerImage);

        var sent = app.Ark.Received.Single();
        Assert.Equal("/api/v3/images/generations", sent.Path);
        Assert.Equal($"Bearer {TasksApp.ArkKey}", sent.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("2K", body.RootElement.GetProperty("size").GetString());
        Assert.Equal(3, body.RootElement.GetProperty("sequential_image_generation_options").GetProperty("max_images").GetInt32());
        Assert.Equal("https://example.com/ref.png", body.RootElement.GetProperty("image").GetString());
        Assert.False(body.RootElement.TryGetProperty("unknown_thing", out _));
        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(data.GetProperty("task_id").GetString(), call.Id);
        Assert.Equal(("succeeded", 3 * PerImage), (call.Status, call.Charged));
    }

    [Fact]
    public async Task Edit_answers_one_image_and_charges_one()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(_http, Edit, new { prompt = "把天空变成紫色", image = "https://example.com/in.png", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://ark-cdn.example.com/seedream-1.jpeg", json.GetProperty("data").GetProperty("image_url").GetString());
        await AssertBalancedAsync(user.Id, 10_000 - PerImage);
        using var body = JsonDocument.Parse(app.Ark.Received.Single().Body);
        Assert.Equal("https://example.com/in.png", body.RootElement.GetProperty("image").GetString());
        Assert.Equal("disabled", body.RootElement.GetProperty("sequential_image_generation").GetString());
    }

    [Fact]
    public async Task A_vendor_failure_is_502_and_refunded()
    {
        var user = await app.CreateUserAsync(10_000);
        app.Ark.Mode = FakeMode.Fail;
        var (r1, j1) = await TasksApp.PostAsync(_http, Generate, new { prompt = "x", user_uuid = user.Id });
        var (r2, _) = await TasksApp.PostAsync(_http, Edit, new { prompt = "x", image = "https://example.com/in.png", user_uuid = user.Id });

        Assert.Equal(HttpStatusCode.BadGateway, r1.StatusCode);
        Assert.Equal(502, j1.GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.BadGateway, r2.StatusCode);
        await AssertBalancedAsync(user.Id, 10_000);
    }

    [Theory]
    [InlineData(Generate, """{"user_uuid":"USER"}""", "prompt")]
    [InlineData(Generate, """{"prompt":"x","images":["javascript:alert(1)"],"user_uuid":"USER"}""", "images")]
    [InlineData(Generate, """{"prompt":"x","user_uuid":"USER","zidingyican":[{"name":"max_images","value":40}]}""", "max_images")]
    [InlineData(Generate, """{"prompt":"x","user_uuid":"USER","zidingyican":[{"name":"size","value":"huge"}]}""", "size")]
    [InlineData(Generate, """{"prompt":"x","images":[null],"user_uuid":"USER"}""", "images")]
    [InlineData(Generate, """{"prompt":"x","user_uuid":"USER","zidingyican":[null]}""", "zidingyican")]
    [InlineData(Edit, """{"prompt":"x","user_uuid":"USER"}""", "image")]
    [InlineData(Edit, """{"prompt":"x","image":"not a url","user_uuid":"USER"}""", "image")]
    public async Task Bad_input_is_400_and_the_vendor_is_not_called(string route, string body, string mentions)
    {
        var user = await app.CreateUserAsync(10_000);
        var response = await _http.PostAsync(route, new StringContent(body.Replace("USER", user.Id), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentions, (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Empty(app.Ark.Received);
        await AssertBalancedAsync(user.Id, 10_000);
    }
}
