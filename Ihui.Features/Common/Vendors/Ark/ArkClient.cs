using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.Ark;

/// <summary>
/// Volcengine Ark's native endpoints beyond chat (vendor-protocols.md §1b, §1c): Seedream images and Seedance
/// video tasks. Bearer auth with <c>DOUBAO_API_KEY</c>; transport errors mapped by <see cref="VendorHttp"/>.
/// </summary>
public sealed class ArkClient(IHttpClientFactory httpClients, VendorEndpoints endpoints)
{
    public VendorEndpoint Vendor => endpoints.Get(KnownVendors.Ark);

    /// <summary><c>POST /contents/generations/tasks</c> → the task id (<c>cgt-…</c>).</summary>
    public async Task<string> CreateVideoTaskAsync(JsonElement body, CancellationToken ct)
    {
        using var doc = await SendAsync(HttpMethod.Post, "contents/generations/tasks", body, ct);
        return doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s
            ? s
            : throw ApiException.VendorError(Vendor.Name, "task create answered without an id");
    }

    /// <summary><c>GET /contents/generations/tasks/{id}</c>, the raw task object.</summary>
    public async Task<JsonDocument> GetVideoTaskAsync(string taskId, CancellationToken ct) =>
        await SendAsync(HttpMethod.Get, "contents/generations/tasks/" + Uri.EscapeDataString(taskId), null, ct);

    /// <summary><c>POST /images/generations</c> (synchronous Seedream).</summary>
    public Task<JsonDocument> GenerateImagesAsync(JsonElement body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "images/generations", body, ct);

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, JsonElement? body, CancellationToken ct)
    {
        var vendor = Vendor;
        using var request = new HttpRequestMessage(method, vendor.Url(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", vendor.RequireKey());
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
