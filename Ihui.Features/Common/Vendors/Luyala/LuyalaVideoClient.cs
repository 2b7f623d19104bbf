using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Channels;

namespace Ihui.Features.Common.Vendors.Luyala;

/// <summary>
/// Luyala's video endpoints, assumed to follow OpenAI's Videos API (<c>POST /videos</c>, <c>GET /videos/{id}</c>,
/// <c>GET /videos/{id}/content</c>) over Luyala's channels (the default one: <c>LUYALA_BASE_URL</c>, Bearer
/// <c>LUYALA_API_KEY</c>). A job is polled, and its content fetched, on the channel that created it. The content
/// needs the key, so it is only ever streamed through Ihui.
/// </summary>
public sealed class LuyalaVideoClient(ChannelRouter router, IHttpClientFactory httpClients)
{
    public VendorDefinition Vendor => KnownVendors.Luyala;

    /// <summary><c>POST /videos</c> → the video job id (<c>video_…</c>) and the channel that took it.</summary>
    public async Task<VendorTaskRef> CreateAsync(JsonElement body, CancellationToken ct)
    {
        var (doc, channel) = await BearerJsonCall.SendAsync(router, Vendor, HttpMethod.Post, "videos", body, ct);
        using var _ = doc;
        return doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s
            ? new VendorTaskRef(s, channel.Id)
            : throw ApiException.VendorError(Vendor.Name, "video create answered without an id");
    }

    /// <summary><c>GET /videos/{id}</c>, the raw video job object.</summary>
    public async Task<JsonDocument> GetAsync(VendorTaskRef job, CancellationToken ct) =>
        (await BearerJsonCall.SendAsync(router, Vendor, HttpMethod.Get, "videos/" + Uri.EscapeDataString(job.TaskId), null, ct,
            router.TaskChannel(Vendor, job.ChannelId))).Value;

    /// <summary>The vendor's address of a finished video's bytes on the channel that made it (needs the key; never handed to clients).</summary>
    public Uri ContentUrl(VendorTaskRef job) => ContentUrl(router.TaskChannel(Vendor, job.ChannelId).Endpoint, job.TaskId);

    private static Uri ContentUrl(VendorEndpoint endpoint, string videoId) => endpoint.Url("videos/" + Uri.EscapeDataString(videoId) + "/content");

    /// <summary><c>GET /videos/{id}/content</c> with the headers read; the caller streams and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenContentAsync(VendorTaskRef job, CancellationToken ct)
    {
        var vendor = router.TaskChannel(Vendor, job.ChannelId).Endpoint;
        using var request = new HttpRequestMessage(HttpMethod.Get, ContentUrl(vendor, job.TaskId));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", vendor.RequireKey());
        return await VendorHttp.SendAsync(httpClients.CreateClient(Vendor.HttpClientName), vendor, request, HttpCompletionOption.ResponseHeadersRead, ct);
    }
}
