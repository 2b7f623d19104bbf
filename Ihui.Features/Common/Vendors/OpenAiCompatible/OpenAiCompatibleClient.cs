using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.OpenAiCompatible;

/// <summary>
/// The one chat-completions transport for every OpenAI-compatible vendor (Ark, DashScope compatible mode,
/// Zhipu, DeepSeek): bearer auth, the vendor's chat path, timeouts, error mapping and SSE parsing.
/// </summary>
public sealed class OpenAiCompatibleClient(IHttpClientFactory httpClients, IEnumerable<IBearerTokenProvider> bearerTokens,
    VendorStreamSettings streams)
{
    private readonly Dictionary<string, IBearerTokenProvider> _bearerTokens = bearerTokens.ToDictionary(p => p.VendorName);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<ChatCompletion> CompleteAsync(VendorEndpoint vendor, ChatCompletionRequest request, CancellationToken ct)
    {
        using var message = Build(vendor, request with { Stream = null, StreamOptions = null });
        using var response = await VendorHttp.SendAsync(Http(vendor), vendor, message, HttpCompletionOption.ResponseContentRead, ct);
        var completion = await VendorHttp.ReadJsonAsync<ChatCompletion>(response, vendor, Json, ct);
        if (completion.Choices.Count == 0) throw ApiException.VendorError(vendor.Name, "response has no choices");
        return completion;
    }

    /// <summary>
    /// Streams chunks; asks for usage in the last chunk. A cut or garbled stream ends in a 502; a stream quiet for
    /// longer than <see cref="VendorStreamSettings.IdleTimeout"/> is aborted with a 408.
    /// </summary>
    public async IAsyncEnumerable<ChatCompletion> StreamAsync(VendorEndpoint vendor, ChatCompletionRequest request,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var message = Build(vendor, request with { Stream = true, StreamOptions = new StreamOptions(true) });
        using var response = await VendorHttp.SendAsync(Http(vendor), vendor, message, HttpCompletionOption.ResponseHeadersRead, ct);
        using var idle = new StreamIdleWatch(streams.IdleTimeout, ct);
        var done = false;
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(idle.Token);
        }
        catch (OperationCanceledException) when (idle.Expired)
        {
            vendor.ObserveError(VendorOutcomes.Timeout);
            throw idle.Timeout(vendor.Name);
        }
        await using var _ = body;
        await using var data = Sse.ReadDataAsync(body, idle.Token, idle).GetAsyncEnumerator(idle.Token);
        while (true)
        {
            string payload;
            try
            {
                if (!await data.MoveNextAsync()) break;
                payload = data.Current;
            }
            catch (Exception e) when (idle.Expired && e is OperationCanceledException or IOException or HttpRequestException)
            {
                vendor.ObserveError(VendorOutcomes.Timeout);
                throw idle.Timeout(vendor.Name);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                vendor.ObserveError(VendorOutcomes.StreamCut);
                throw ApiException.VendorError(vendor.Name, "stream was cut");
            }
            if (payload == "[DONE]")
            {
                done = true;
                break;
            }
            ChatCompletion? chunk;
            try
            {
                chunk = JsonSerializer.Deserialize<ChatCompletion>(payload, Json);
            }
            catch (JsonException)
            {
                vendor.ObserveError(VendorOutcomes.Malformed);
                throw ApiException.VendorError(vendor.Name, "malformed stream chunk");
            }
            if (chunk is not null) yield return chunk;
        }
        if (!done)
        {
            vendor.ObserveError(VendorOutcomes.StreamCut);
            throw ApiException.VendorError(vendor.Name, "stream ended before [DONE]");
        }
    }

    private HttpRequestMessage Build(VendorEndpoint vendor, ChatCompletionRequest request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, vendor.ChatCompletionsUrl)
        {
            Content = VendorHttp.JsonBody(request, options: Json),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            _bearerTokens.TryGetValue(vendor.Name, out var provider) ? provider.TokenFor(vendor) : vendor.RequireKey());
        return message;
    }

    private HttpClient Http(VendorEndpoint vendor) => httpClients.CreateClient(vendor.Definition.HttpClientName);
}
