using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.Luyala;

/// <summary>
/// Luyala's video endpoints, assumed to follow OpenAI's Videos API (<c>POST /videos</c>, <c>GET /videos/{id}</c>,
/// <c>GET /videos/{id}/content</c>) under <c>LUYALA_BASE_URL</c>, Bearer <c>LUYALA_API_KEY</c>.
/// The content needs the key, so it is only ever streamed through Ihui.
/// </summary>
public sealed class LuyalaVideoClient(IHttpClientFactory httpClients, VendorEndpoints endpoints)
{
    public VendorEndpoint Vendor => endpoints.Get(KnownVendors.Luyala);

    /// <summary><c>POST /videos</c> → the video job id (<c>video_…</c>).</summary>
    public async Task<string> CreateAsync(JsonElement body, CancellationToken ct)
    {
        using var doc = await SendJsonAsync(HttpMethod.Post, "videos", body, ct);
        return doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s
            ? s
            : throw ApiException.VendorError(Vendor.Name, "video create answered without an id");
    }

    /// <summary><c>GET /videos/{id}</c>, the raw video job object.</summary>
    public Task<JsonDocument> GetAsync(string videoId, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Get, "videos/" + Uri.EscapeDataString(videoId), null, ct);

    /// <summary>The vendor's address of a finished video's bytes (needs the key; never handed to clients).</summary>
    public Uri ContentUrl(string videoId) => Vendor.Url("videos/" + Uri.EscapeDataString(videoId) + "/content");

    /// <summary><c>GET /videos/{id}/content</c> with the headers read; the caller streams and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenContentAsync(string videoId, CancellationToken ct)
    {
        var vendor = Vendor;
        using var request = new HttpRequestMessage(HttpMethod.Get, ContentUrl(videoId));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", vendor.RequireKey());
        return await VendorHttp.SendAsync(Http(vendor), vendor, request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, JsonElement? body, CancellationToken ct)
    {
        var vendor = Vendor;
        using var request = new HttpRequestMessage(method, vendor.Url(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", vendor.RequireKey());
        if (body is { } b) request.Content = new StringContent(b.GetRawText(), Encoding.UTF8, "application/json");
        using var response = await VendorHttp.SendAsync(Http(vendor), vendor, request, HttpCompletionOption.ResponseContentRead, ct);
        var doc = await VendorHttp.ReadJsonAsync<JsonDocument>(response, vendor, JsonSerializerOptions.Default, ct);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw ApiException.VendorError(vendor.Name, "malformed response");
        }
        return doc;
    }

    private HttpClient Http(VendorEndpoint vendor) => httpClients.CreateClient(vendor.Definition.HttpClientName);
}
