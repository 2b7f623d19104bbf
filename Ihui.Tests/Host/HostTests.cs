using System.Net;
using System.Text.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Host;

public sealed class HostTests(IhuiApp app) : IClassFixture<IhuiApp>
{
    private readonly HttpClient _http = app.CreateClient();

    [Fact]
    public async Task Health_answers_the_seed_004_shape_after_checking_the_database()
    {
        var response = await _http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal("healthy", json.GetProperty("status").GetString());
        Assert.True(DateTime.TryParse(json.GetProperty("timestamp").GetString(), out var at));
        Assert.True(Math.Abs((DateTime.UtcNow - at).TotalMinutes) < 5);
        Assert.Equal("ok", json.GetProperty("database").GetString());
    }

    [Fact]
    public async Task Unknown_routes_are_404_in_the_seed_envelope_and_openai_shape()
    {
        var seed = await _http.GetAsync("/cozeZhsApi/not-built");
        Assert.Equal(HttpStatusCode.NotFound, seed.StatusCode);
        Assert.Equal(404, (await IhuiApp.JsonAsync(seed)).GetProperty("code").GetInt32());

        var openAi = await _http.GetAsync("/v1/not-built");
        Assert.Equal(HttpStatusCode.NotFound, openAi.StatusCode);
        Assert.Equal("not_found", (await IhuiApp.JsonAsync(openAi)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Wrong_method_is_405_with_a_body()
    {
        var response = await _http.GetAsync("/gemini/3/generate");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(405, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route()
    {
        var doc = JsonDocument.Parse(await _http.GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Contains("/cozeZhsApi/dashscope/vision/chat", paths);
        Assert.Contains("/gemini/3/generate", paths);
        Assert.Contains("/health", paths);
    }

    [Fact]
    public async Task Cors_preflight_is_answered_for_any_origin_by_default()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/gemini/3/generate");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        var response = await _http.SendAsync(request);
        Assert.True(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
