using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ihui.Tests.Fakes;

namespace Ihui.Tests.Story;

/// <summary>
/// Seed 003 part 2: the story platform with a model registry (chat with default parameters, other, i2t, three t2i
/// models behind the 302.AI aggregator and one disabled), the aggregator's fake, and the admin console.
/// Chat models cost 1000/1K in and out (× 2.0); a t2i image costs 50.
/// </summary>
public class StoryChatApp : StoryApp
{
    public const string Ai302Key = "sk-302-test-0123456789";
    public const string JwtSecret = "test-admin-jwt-secret-0123456789abcdef";
    public const string RootAdmin = "root";
    public const string RootPassword = "Root-pass-2024";
    public static readonly string[] TextToImage = ["302/flux-schnell-1", "302/flux-schnell-2", "302/flux-dev-1"];

    public FakeOpenAiVendor Aggregator { get; } = new("/v1/chat/completions", Ai302Key, imagesPath: "/v1/images/generations") { Reply = "来自302的回答。" };

    public override async Task InitializeAsync()
    {
        await Aggregator.StartAsync();
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Aggregator.DisposeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings()
    {
        var s = new Dictionary<string, string?>
        {
            ["ADMIN_JWT_SECRET"] = JwtSecret, ["ADMIN_USERNAME"] = RootAdmin, ["ADMIN_PASSWORD"] = RootPassword,
            ["RATE_LIMIT_REQUESTS"] = "0",
            ["AI302_API_KEY"] = Ai302Key, ["AI302_BASE_URL"] = Aggregator.BaseUrl + "/v1", ["AI302_TIMEOUT_SECONDS"] = "2",
            ["Models:story-chat:Vendor"] = "dashscope", ["Models:story-chat:UpstreamModel"] = "qwen-plus-upstream",
            ["Models:story-chat:Parameters"] = """{"temperature":1.5,"max_tokens":300,"presence_penalty":0.4}""",
            ["Models:story-other:Vendor"] = "dashscope", ["Models:story-other:Type"] = "other",
            ["Models:302/gpt-4o-mini:Type"] = "chat",
            ["Models:qwen-vl-plus-1:Vendor"] = "dashscope", ["Models:qwen-vl-plus-1:UpstreamModel"] = "qwen-vl-plus", ["Models:qwen-vl-plus-1:Type"] = "i2t",
            ["Models:302/flux-off:Type"] = "t2i", ["Models:302/flux-off:Enabled"] = "false",
            ["Models:story-director:Vendor"] = "dashscope", ["Models:story-director:UpstreamModel"] = "qwen-turbo-director",
            ["STORY_SPEAKER_MODEL"] = "story-director",
            ["STORY_CHAT_MODEL"] = "story-chat",
        };
        foreach (var m in (string[])["story-chat", "story-other", "302/gpt-4o-mini", "qwen-vl-plus-1", "story-director"])
        {
            s[$"Prices:{m}:Per1KIn"] = "1000";
            s[$"Prices:{m}:Per1KOut"] = "1000";
        }
        foreach (var m in TextToImage)
        {
            s[$"Models:{m}:Type"] = "t2i";
            s[$"Prices:{m}:PerImage"] = "50";
        }
        s["Models:302/flux-dev-1:UpstreamModel"] = "flux-dev";
        return s.Concat(ChatSettings());
    }

    protected virtual IEnumerable<KeyValuePair<string, string?>> ChatSettings() => [];

    private string? _rootToken;

    public async Task<string> RootTokenAsync()
    {
        if (_rootToken is not null) return _rootToken;
        var response = await CreateClient().PostAsJsonAsync("/admin/login", new { admin = RootAdmin, password = RootPassword });
        response.EnsureSuccessStatusCode();
        return _rootToken = (await JsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    public async Task<HttpResponseMessage> AdminPostAsync(string path, object body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await RootTokenAsync());
        return await CreateClient().SendAsync(request);
    }
}
