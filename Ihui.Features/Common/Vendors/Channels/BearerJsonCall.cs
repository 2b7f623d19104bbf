using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.Channels;

/// <summary>
/// One JSON call of a bearer-key vendor's native API (Ark, DashScope, Luyala) over its channels: routed by the body's
/// <c>model</c> (rewritten to the channel's name for it), or to <c>only</c> channel (a task's polls). The answer must be
/// a JSON object.
/// </summary>
public static class BearerJsonCall
{
    public static Task<(JsonDocument Value, Channel Channel)> SendAsync(ChannelRouter router, VendorDefinition vendor, HttpMethod method, string path,
        JsonElement? body, CancellationToken ct, Channel? only = null, Action<HttpRequestMessage>? headers = null) =>
        router.CallAsync(vendor, body is { } b ? ChannelPayload.Text(b, "model") : null, (endpoint, upstream) =>
        {
            var request = new HttpRequestMessage(method, endpoint.Url(path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.RequireKey());
            headers?.Invoke(request);
            if (body is { } json) request.Content = new StringContent(ChannelPayload.WithText(json, "model", upstream).GetRawText(), Encoding.UTF8, "application/json");
            return request;
        }, async routed =>
        {
            var doc = await VendorHttp.ReadJsonAsync<JsonDocument>(routed.Response, routed.Endpoint, JsonSerializerOptions.Default, ct);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
            doc.Dispose();
            throw ApiException.VendorError(vendor.Name, "malformed response");
        }, ct, only);
}
