using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ihui.Features.Common.ApiKeys;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Limits;

/// <summary>
/// The chat-stream host with the request limits on: per API key 3 a minute and 1 at once, per user 6 a minute and
/// 2 at once; <c>test-qwen</c> on <c>/v1</c> goes to the DashScope fake. The vendor timeout is long, so a held
/// request ends only when its client goes away.
/// </summary>
public sealed class LimitsApp : ChatStreamApp
{
    public const int KeyRpm = 3, KeyConcurrency = 1, UserRpm = 6, UserConcurrency = 2;

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() =>
    [
        new("RATE_LIMIT_KEY_RPM", KeyRpm.ToString()), new("RATE_LIMIT_KEY_CONCURRENCY", KeyConcurrency.ToString()),
        new("RATE_LIMIT_USER_RPM", UserRpm.ToString()), new("RATE_LIMIT_USER_CONCURRENCY", UserConcurrency.ToString()),
        new("DASHSCOPE_TIMEOUT_SECONDS", "60"),
        new("Models:test-qwen:Vendor", "dashscope"), new("Models:test-qwen:UpstreamModel", "qwen-plus-upstream"),
        new("Prices:test-qwen:Per1KIn", "1"), new("Prices:test-qwen:Per1KOut", "1"),
    ];

    /// <summary>A key made straight in the store (not a counted request).</summary>
    public async Task<string> KeyAsync(string userId, int? rpm = null, int? concurrency = null) =>
        (await Services.GetRequiredService<ApiKeyStore>().CreateAsync(userId, "t", null, null, null, CancellationToken.None, rpm, concurrency)).Secret;

    public Task<HttpResponseMessage> ChatAsync(string key, bool stream = false, CancellationToken ct = default) =>
        SendChatAsync(key, stream, HttpCompletionOption.ResponseContentRead, ct);

    public async Task<HttpResponseMessage> SendChatAsync(string key, bool stream, HttpCompletionOption completion, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "test-qwen", stream, messages = new[] { new { role = "user", content = "hi" } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await CreateClient().SendAsync(request, completion, ct);
    }
}
