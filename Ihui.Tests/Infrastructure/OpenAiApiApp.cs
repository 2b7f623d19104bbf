using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ihui.Features.Common.ApiKeys;
using Ihui.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace Ihui.Tests.Infrastructure;

/// <summary>
/// The host with a test model catalog: <c>test-qwen</c> (DashScope), <c>test-deepseek</c> (DeepSeek fake),
/// <c>test-gemini</c>, a disabled and an unpriced model. Every priced model costs 1000/1K in and out, so the
/// DashScope fake's 30 + 12 tokens cost 84 platform tokens (× 2.0).
/// </summary>
public class OpenAiApiApp : IhuiApp, IAsyncLifetime
{
    public const string DeepSeekKey = "sk-test-deepseek-0123456789";
    public const string ArkKey = "ark-test-key-0123456789";
    public const string ZhipuKey = "glm-test-key-0123456789";
    public FakeOpenAiVendor DeepSeek { get; } = new("/chat/completions", DeepSeekKey);
    public FakeOpenAiVendor Ark { get; } = new("/api/v3/chat/completions", ArkKey) { Reply = "豆包在此。" };
    public FakeOpenAiVendor Zhipu { get; } = new("/api/paas/v4/chat/completions", ZhipuKey) { Reply = "智谱在此。" };

    public override async Task InitializeAsync()
    {
        await DeepSeek.StartAsync();
        await Ark.StartAsync();
        await Zhipu.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings()
    {
        var settings = new Dictionary<string, string?>(Settings());
        foreach (var (k, v) in MoreSettings()) settings[k] = v;
        return settings;
    }

    /// <summary>What a derived fixture adds or changes.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [];

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["DEEPSEEK_API_KEY"] = DeepSeekKey,
            ["DEEPSEEK_BASE_URL"] = DeepSeek.BaseUrl,
            ["DEEPSEEK_TIMEOUT_SECONDS"] = "2",
            ["DOUBAO_API_KEY"] = ArkKey,
            ["DOUBAO_BASE_URL"] = Ark.BaseUrl + "/api/v3",
            ["GLM_API_KEY"] = ZhipuKey,
            ["GLM_BASE_URL"] = Zhipu.BaseUrl + "/api/paas/v4",
            ["Models:test-doubao:Vendor"] = "doubao",
            ["Models:test-doubao:UpstreamModel"] = "doubao-seed-1-6-250615",
            ["Models:test-glm:Vendor"] = "zhipu",
            ["Models:test-glm:UpstreamModel"] = "glm-4.5",
            ["QWEN_CHAT_MODEL"] = "test-qwen",
            ["Models:test-qwen:Vendor"] = "dashscope",
            ["Models:test-qwen:UpstreamModel"] = "qwen-plus-upstream",
            ["Models:test-deepseek:Vendor"] = "deepseek",
            ["Models:test-deepseek:UpstreamModel"] = "deepseek-chat",
            ["Models:test-gemini:Vendor"] = "gemini",
            ["Models:test-gemini:UpstreamModel"] = "gemini-2.5-flash",
            ["Models:test-disabled:Vendor"] = "dashscope",
            ["Models:test-disabled:Enabled"] = "false",
            ["Models:test-unpriced:Vendor"] = "dashscope",
        };
        foreach (var model in (string[])["test-qwen", "test-deepseek", "test-gemini", "test-doubao", "test-glm", "test-disabled"])
        {
            settings[$"Prices:{model}:Per1KIn"] = "1000";
            settings[$"Prices:{model}:Per1KOut"] = "1000";
        }
        return settings;
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await DeepSeek.DisposeAsync();
        await Ark.DisposeAsync();
        await Zhipu.DisposeAsync();
    }

    /// <summary>A key made through <c>POST /api/keys</c>; returns its id and secret.</summary>
    public async Task<(string Id, string Secret)> CreateKeyAsync(string userId, string[]? models = null, long? quota = null)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/keys", new { user_uuid = userId, name = "test", models, quota });
        response.EnsureSuccessStatusCode();
        var data = (await JsonAsync(response)).GetProperty("data");
        return (data.GetProperty("id").GetString()!, data.GetProperty("key").GetString()!);
    }

    /// <summary>A key with any expiry (the route refuses past ones), straight through the store.</summary>
    public async Task<string> CreateKeyDirectAsync(string userId, DateTime expiresAt) =>
        (await Services.GetRequiredService<ApiKeyStore>().CreateAsync(userId, null, null, null, expiresAt, CancellationToken.None)).Secret;

    public HttpClient KeyClient(string secret)
    {
        var http = CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return http;
    }

    /// <summary>The official OpenAI .NET client, pointed at this host.</summary>
    public OpenAIClient OpenAi(string secret) =>
        new(new ApiKeyCredential(secret), new OpenAIClientOptions
        {
            Endpoint = new Uri("http://localhost/v1"),
            Transport = new HttpClientPipelineTransport(CreateClient()),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    public ChatClient OpenAiChat(string model, string secret) => OpenAi(secret).GetChatClient(model);
}
