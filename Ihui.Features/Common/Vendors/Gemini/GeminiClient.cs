using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors.Channels;

namespace Ihui.Features.Common.Vendors.Gemini;

/// <summary>
/// <c>models/{model}:generateContent</c> with the key in <c>x-goog-api-key</c> (never in the URL, which is logged),
/// routed over Gemini's channels: a channel that fails before answering (connect error, timeout, 429, 5xx, a refused
/// key — Gemini says 400 "API key not valid") hands the call to the next.
/// </summary>
public sealed class GeminiClient(ChannelRouter router)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static VendorDefinition Vendor => KnownVendors.Gemini;

    /// <param name="only">This channel alone, no failover (an admin's test).</param>
    public async Task<GenerateContentResponse> GenerateAsync(string model, GenerateContentRequest request, CancellationToken ct, Channel? only = null)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, Json);
        var routed = await router.SendAsync(Vendor, model, (endpoint, upstream) => Build(endpoint, upstream ?? model, body),
            HttpCompletionOption.ResponseContentRead, ct, only);
        using var response = routed.Response;
        var vendor = routed.Endpoint;
        var result = await VendorHttp.ReadJsonAsync<GenerateContentResponse>(response, vendor, Json, ct);
        if (result.PromptFeedback?.BlockReason is { } reason)
            throw ApiException.BadRequest($"gemini blocked the prompt ({reason})");
        if (result.Candidates is not { Count: > 0 })
            throw ApiException.VendorError(vendor.Name, "response has no candidates");
        return result;
    }

    private static HttpRequestMessage Build(VendorEndpoint endpoint, string model, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var message = new HttpRequestMessage(HttpMethod.Post, endpoint.Url($"models/{Uri.EscapeDataString(model)}:generateContent")) { Content = content };
        message.Headers.Add("x-goog-api-key", endpoint.RequireKey());
        return message;
    }
}
