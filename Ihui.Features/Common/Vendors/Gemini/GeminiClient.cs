using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.Gemini;

/// <summary><c>models/{model}:generateContent</c> with the key in <c>x-goog-api-key</c> (never in the URL, which is logged).</summary>
public sealed class GeminiClient(IHttpClientFactory httpClients, VendorEndpoints endpoints)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public VendorEndpoint Endpoint => endpoints.Get(KnownVendors.Gemini);

    public async Task<GenerateContentResponse> GenerateAsync(string model, GenerateContentRequest request, CancellationToken ct)
    {
        var vendor = Endpoint;
        using var message = new HttpRequestMessage(HttpMethod.Post, vendor.Url($"models/{Uri.EscapeDataString(model)}:generateContent"))
        {
            Content = VendorHttp.JsonBody(request, options: Json),
        };
        message.Headers.Add("x-goog-api-key", vendor.RequireKey());
        using var response = await VendorHttp.SendAsync(httpClients.CreateClient(vendor.Definition.HttpClientName), vendor, message,
            HttpCompletionOption.ResponseContentRead, ct);
        var result = await VendorHttp.ReadJsonAsync<GenerateContentResponse>(response, vendor, Json, ct);
        if (result.PromptFeedback?.BlockReason is { } reason)
            throw ApiException.BadRequest($"gemini blocked the prompt ({reason})");
        if (result.Candidates is not { Count: > 0 })
            throw ApiException.VendorError(vendor.Name, "response has no candidates");
        return result;
    }
}
