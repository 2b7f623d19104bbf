using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.DashScope;

/// <summary>
/// DashScope's native API (vendor-protocols.md §3b–§3f): async submit with <c>X-DashScope-Async: enable</c>,
/// <c>GET /api/v1/tasks/{id}</c>, and the synchronous multimodal generation. Bearer auth with <c>DASHSCOPE_API_KEY</c>.
/// </summary>
public sealed class DashScopeClient(IHttpClientFactory httpClients, VendorEndpoints endpoints)
{
    public const string MultimodalGenerationPath = "api/v1/services/aigc/multimodal-generation/generation";

    public VendorEndpoint Vendor => endpoints.Get(KnownVendors.DashScope);

    /// <summary>Creates an async task at <paramref name="path"/>; returns <c>output.task_id</c>.</summary>
    public async Task<string> SubmitTaskAsync(string path, JsonElement body, CancellationToken ct)
    {
        using var doc = await SendAsync(HttpMethod.Post, path, body, async: true, ct);
        return doc.RootElement.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Object
               && output.TryGetProperty("task_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s
            ? s
            : throw ApiException.VendorError(Vendor.Name, "task create answered without output.task_id");
    }

    public Task<JsonDocument> GetTaskAsync(string taskId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "api/v1/tasks/" + Uri.EscapeDataString(taskId), null, async: false, ct);

    /// <summary>The synchronous multimodal generation (qwen-image-edit, qwen3-asr-flash).</summary>
    public Task<JsonDocument> GenerateAsync(JsonElement body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, MultimodalGenerationPath, body, async: false, ct);

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, JsonElement? body, bool async, CancellationToken ct)
    {
        var vendor = Vendor;
        using var request = new HttpRequestMessage(method, vendor.Url(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", vendor.RequireKey());
        if (async) request.Headers.Add("X-DashScope-Async", "enable");
        if (body is { } b) request.Content = new StringContent(b.GetRawText(), Encoding.UTF8, "application/json");
        using var response = await VendorHttp.SendAsync(httpClients.CreateClient(vendor.Definition.HttpClientName), vendor, request,
            HttpCompletionOption.ResponseContentRead, ct);
        var doc = await VendorHttp.ReadJsonAsync<JsonDocument>(response, vendor, JsonSerializerOptions.Default, ct);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw ApiException.VendorError(vendor.Name, "malformed response");
        }
        return doc;
    }
}
