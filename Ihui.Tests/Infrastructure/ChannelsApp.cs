using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Vendors.Channels;
using Ihui.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Infrastructure;

/// <summary>
/// The OpenAI API host with three accounts of one vendor (DeepSeek): the environment's default channel on
/// <see cref="OpenAiApiApp.DeepSeek"/>, and two more fakes, <see cref="B"/> and <see cref="C"/>, each checking its own
/// key, for channels a test adds. The breaker opens after 3 failures and cools down for 1 s.
/// </summary>
public class ChannelsApp : OpenAiApiApp
{
    public const string KeyB = "sk-test-channel-b-0123456789";
    public const string KeyC = "sk-test-channel-c-0123456789";
    public FakeOpenAiVendor B { get; } = new("/chat/completions", KeyB) { Reply = "B answers." };
    public FakeOpenAiVendor C { get; } = new("/chat/completions", KeyC) { Reply = "C answers." };

    public const string GeminiKeyB = "AIza-test-gemini-b-0123456789";
    public const string GeminiKeyC = "AIza-test-gemini-c-0123456789";
    /// <summary>Two more Gemini accounts (the environment's is <see cref="IhuiApp.Gemini"/>); their base URLs end in <c>/v1beta</c>.</summary>
    public FakeGemini GeminiB { get; } = new(GeminiKeyB) { Reply = "Gemini B answers." };
    public FakeGemini GeminiC { get; } = new(GeminiKeyC) { Reply = "Gemini C answers." };

    public override async Task InitializeAsync()
    {
        await B.StartAsync();
        await C.StartAsync();
        await GeminiB.StartAsync();
        await GeminiC.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => new Dictionary<string, string?>
    {
        ["DEEPSEEK_TIMEOUT_SECONDS"] = "10",
        ["GEMINI_TIMEOUT_SECONDS"] = "10",
        ["CHANNEL_BREAKER_FAILURES"] = "3",
        ["CHANNEL_BREAKER_COOLDOWN_SECONDS"] = "1",
        ["CHANNEL_REFRESH_SECONDS"] = "3600",
        ["ADMIN_JWT_SECRET"] = "test-admin-jwt-secret-0123456789abcdef",
        ["ADMIN_USERNAME"] = "root",
        ["ADMIN_PASSWORD"] = AdminPassword,
    };

    public const string AdminPassword = "Root-pass-2024";
    private string? _adminToken;

    /// <summary>An access token of the bootstrap admin.</summary>
    public async Task<string> AdminTokenAsync()
    {
        if (_adminToken is not null) return _adminToken;
        var response = await CreateClient().PostAsJsonAsync("/admin/login", new { admin = "root", password = AdminPassword });
        response.EnsureSuccessStatusCode();
        return _adminToken = (await JsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    /// <summary>Sends <paramref name="body"/> (an object as JSON, a string as it is) with the admin's token (or <paramref name="token"/>).</summary>
    public async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                string raw => new StringContent(raw, System.Text.Encoding.UTF8, "application/json"),
                _ => JsonContent.Create(body),
            },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await AdminTokenAsync());
        return await CreateClient().SendAsync(request);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await B.DisposeAsync();
        await C.DisposeAsync();
        await GeminiB.DisposeAsync();
        await GeminiC.DisposeAsync();
    }

    public ChannelRouter Router => Services.GetRequiredService<ChannelRouter>();

    public void ResetFakes()
    {
        foreach (var fake in (FakeVendor[])[DeepSeek, B, C, Gemini, GeminiB, GeminiC]) fake.Reset();
    }

    /// <summary>Replaces every channel row with <paramref name="rows"/> (their keys sealed) and reloads routing.</summary>
    public async Task SetChannelsAsync(params (ChannelRow Row, string? Key)[] rows)
    {
        await Services.GetRequiredService<Db>().ExecuteWriteAsync("DELETE FROM channels");
        var store = Services.GetRequiredService<ChannelStore>();
        foreach (var (row, key) in rows)
            await store.SaveAsync(row with { Credential = key is null ? null : store.Seal(key), CredentialHint = key?[^4..] });
        await Router.ReloadAsync();
    }

    public static ChannelRow Row(string name, FakeVendor fake, int priority = 0, int weight = 1, int? timeoutSeconds = null, string? models = null,
        string vendor = "deepseek") => new()
    {
        Id = Guid.NewGuid().ToString(), Vendor = vendor, Name = name, BaseUrl = fake.BaseUrl + (fake is FakeGemini ? "/v1beta" : ""),
        Priority = priority, Weight = weight,
        TimeoutSeconds = timeoutSeconds, Models = models,
    };
}
