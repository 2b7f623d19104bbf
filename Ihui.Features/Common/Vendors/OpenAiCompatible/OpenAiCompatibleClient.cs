using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors.Channels;

namespace Ihui.Features.Common.Vendors.OpenAiCompatible;

/// <summary>
/// The one chat-completions transport for every OpenAI-compatible vendor (Ark, DashScope compatible mode,
/// Zhipu, DeepSeek): bearer auth, the vendor's chat path, timeouts, error mapping and SSE parsing.
/// </summary>
public sealed class OpenAiCompatibleClient(IEnumerable<IBearerTokenProvider> bearerTokens,
    VendorStreamSettings streams, ChannelRouter router)
{
    private readonly Dictionary<string, IBearerTokenProvider> _bearerTokens = bearerTokens.ToDictionary(p => p.VendorName);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A completion from one of <paramref name="vendor"/>'s channels (routed, with failover before the answer).</summary>
    /// <param name="only">This channel alone, no failover (an admin's test).</param>
    public async Task<ChatCompletion> CompleteAsync(VendorDefinition vendor, ChatCompletionRequest request, CancellationToken ct, Channel? only = null)
    {
        var body = request with { Stream = null, StreamOptions = null };
        var routed = await router.SendAsync(vendor, request.Model, (endpoint, model) => Build(endpoint, body, model),
            HttpCompletionOption.ResponseContentRead, ct, only);
        using var response = routed.Response;
        return await ReadCompletionAsync(response, routed.Endpoint, ct);
    }

    private static async Task<ChatCompletion> ReadCompletionAsync(HttpResponseMessage response, VendorEndpoint vendor, CancellationToken ct)
    {
        var completion = await VendorHttp.ReadJsonAsync<ChatCompletion>(response, vendor, Json, ct);
        if (completion.Choices.Count == 0 || completion.Choices[0] is null) throw ApiException.VendorError(vendor.Name, "response has no choices");
        return completion;
    }

    /// <summary>
    /// Streams chunks; asks for usage in the last chunk. A cut or garbled stream ends in a 502; a stream quiet for
    /// longer than <see cref="VendorStreamSettings.IdleTimeout"/> is aborted with a 408.
    /// </summary>
    /// <remarks>
    /// Routed over <paramref name="vendor"/>'s channels: a channel that fails before answering is replaced by the next;
    /// once one has answered (its first byte may be on its way to the client) a failure ends the stream, no retry.
    /// </remarks>
    public async IAsyncEnumerable<ChatCompletion> StreamAsync(VendorDefinition vendor, ChatCompletionRequest request,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var streamed = request with { Stream = true, StreamOptions = new StreamOptions(true) };
        var routed = await router.SendAsync(vendor, request.Model, (endpoint, model) => Build(endpoint, streamed, model),
            HttpCompletionOption.ResponseHeadersRead, ct);
        var endpoint = routed.Endpoint;
        using var response = routed.Response;
        using var idle = new StreamIdleWatch(streams.IdleTimeout, ct);
        var done = false;
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(idle.Token);
        }
        catch (OperationCanceledException) when (idle.Expired)
        {
            endpoint.ObserveError(VendorOutcomes.Timeout);
            throw idle.Timeout(endpoint.Name);
        }
        await using var _ = body;
        using var events = new SseReader(body, idle);
        while (true)
        {
            ChatCompletion? chunk;
            try
            {
                if (!await events.ReadAsync(idle.Token)) break;
                if (events.Current.Span.SequenceEqual("[DONE]"u8))
                {
                    done = true;
                    break;
                }
                chunk = ChatCompletionChunkReader.Read(events.Current.Span, Json);
            }
            catch (Exception e) when (idle.Expired && e is OperationCanceledException or IOException or HttpRequestException)
            {
                endpoint.ObserveError(VendorOutcomes.Timeout);
                throw idle.Timeout(endpoint.Name);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                endpoint.ObserveError(VendorOutcomes.Malformed);
                throw ApiException.VendorError(endpoint.Name, "malformed stream chunk");
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                endpoint.ObserveError(VendorOutcomes.StreamCut);
                throw ApiException.VendorError(endpoint.Name, "stream was cut");
            }
            if (chunk is not null) yield return chunk;
        }
        if (!done)
        {
            endpoint.ObserveError(VendorOutcomes.StreamCut);
            throw ApiException.VendorError(endpoint.Name, "stream ended before [DONE]");
        }
    }

    /// <summary>
    /// OpenAI's images API (<c>POST {base}/images/generations</c>), as 302.AI serves it: the images are made before the
    /// answer, which carries their (short-lived) URLs or base64 bodies. Routed over the vendor's channels like chat.
    /// </summary>
    public async Task<ImageGeneration> GenerateImagesAsync(VendorDefinition vendor, ImageGenerationRequest request, CancellationToken ct)
    {
        var routed = await router.SendAsync(vendor, request.Model,
            (endpoint, model) => Post(endpoint, endpoint.Url(ImagesPath), model is null || model == request.Model ? request : request with { Model = model }),
            HttpCompletionOption.ResponseContentRead, ct);
        using var response = routed.Response;
        var generated = await VendorHttp.ReadJsonAsync<ImageGeneration>(response, routed.Endpoint, Json, ct);
        if (generated.Data is not { Count: > 0 } || generated.Data.Any(d => d is null || (d.Url is null && d.B64Json is null)))
        {
            routed.Endpoint.ObserveError(VendorOutcomes.Malformed);
            throw ApiException.VendorError(routed.Endpoint.Name, "response has no images");
        }
        return generated;
    }

    public const string ImagesPath = "images/generations";

    private HttpRequestMessage Build(VendorEndpoint vendor, ChatCompletionRequest request, string? model) =>
        Post(vendor, vendor.ChatCompletionsUrl, model is null || model == request.Model ? request : request with { Model = model });

    private HttpRequestMessage Post<T>(VendorEndpoint vendor, Uri url, T body)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = VendorHttp.JsonBody(body, options: Json) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            _bearerTokens.TryGetValue(vendor.Name, out var provider) ? provider.TokenFor(vendor) : vendor.RequireKey());
        return message;
    }

}
