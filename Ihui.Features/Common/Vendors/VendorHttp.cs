using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Net;
using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;

namespace Ihui.Features.Common.Vendors;

/// <summary>
/// Sends a vendor request with the vendor's timeout and maps transport failures to the gateway's errors:
/// timeout → 408, 429 → 429, 400/422 → 400 with the vendor's message, anything else → 502.
/// A cancelled caller stays an <see cref="OperationCanceledException"/> so billing can tell the two apart.
/// </summary>
public static class VendorHttp
{
    /// <summary>
    /// A JSON body serialised up front, so it goes out with a Content-Length in one write (a streamed
    /// <c>JsonContent</c> is sent chunked, which costs round trips and which some vendors refuse).
    /// </summary>
    public static ByteArrayContent JsonBody<T>(T value, JsonSerializerOptions options)
    {
        var content = value is IJsonWritable own ? Written(own, options) : new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, options));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static ByteArrayContent Written(IJsonWritable value, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented }))
            value.WriteTo(json);
        return MemoryMarshal.TryGetArray(buffer.WrittenMemory, out var written)
            ? new ByteArrayContent(written.Array!, written.Offset, written.Count)
            : new ByteArrayContent(buffer.WrittenSpan.ToArray());
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, VendorEndpoint vendor, HttpRequestMessage request,
        HttpCompletionOption completion, CancellationToken ct)
    {
        var sent = await TrySendAsync(http, vendor, request, completion, vendor.Timeout, ct);
        return sent.Response ?? throw sent.Error!;
    }

    /// <summary>
    /// One request to one channel: the answer when it is a success, else the failure's outcome and the gateway error it
    /// maps to (the error body already read and disposed), so routing can decide whether another channel may be tried.
    /// </summary>
    public static async Task<VendorTry> TrySendAsync(HttpClient http, VendorEndpoint vendor, HttpRequestMessage request,
        HttpCompletionOption completion, TimeSpan timeoutAfter, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(timeoutAfter);
        HttpResponseMessage response;
        var started = Stopwatch.GetTimestamp();
        try
        {
            response = await http.SendAsync(request, completion, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            vendor.Observe(VendorOutcomes.Timeout, VendorOutcomes.Timeout, started);
            return new VendorTry(null, VendorOutcomes.Timeout, ApiException.VendorTimeout(vendor.Name));
        }
        catch (HttpRequestException e)
        {
            vendor.Observe(VendorOutcomes.Unreachable, VendorOutcomes.Unreachable, started);
            return new VendorTry(null, VendorOutcomes.Unreachable, ApiException.VendorError(vendor.Name, $"unreachable ({e.HttpRequestError})"));
        }

        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            vendor.Observe(VendorOutcomes.Ok, null, started);
            return new VendorTry(response, VendorOutcomes.Ok, null);
        }
        var kind = VendorOutcomes.ForStatus(status);
        vendor.Observe(kind, kind, started);
        using (response)
        {
            var (message, code) = ExtractError(await ReadErrorBodyAsync(response, ct));
            if (RefusesCredentials(response.StatusCode, message) && kind != VendorOutcomes.Auth)
            {
                vendor.Health?.Observe(VendorOutcomes.Auth);
                kind = VendorOutcomes.Auth;
            }
            var mapped = MapStatus(vendor, response.StatusCode, message);
            return new VendorTry(null, kind, new ApiException(mapped.Status, mapped.Code, mapped.Message)
            {
                RetryAfter = mapped.RetryAfter, VendorStatus = status, VendorCode = code,
            });
        }
    }

    /// <summary>The vendor refused the gateway's credentials (not the request): 401, 403, or Gemini's 400 "API key not valid".</summary>
    public static bool RefusesCredentials(HttpStatusCode status, string? message) =>
        (int)status is 401 or 403 || ((int)status == 400 && message?.Contains("API key", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Reads a JSON body within the vendor's timeout; garbage is a 502.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, VendorEndpoint vendor, JsonSerializerOptions options, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(vendor.Timeout);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await JsonSerializer.DeserializeAsync<T>(stream, options, timeout.Token)
                   ?? throw ApiException.VendorError(vendor.Name, "empty response");
        }
        catch (JsonException)
        {
            vendor.ObserveError(VendorOutcomes.Malformed);
            throw ApiException.VendorError(vendor.Name, "malformed response");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            vendor.ObserveError(VendorOutcomes.Timeout);
            throw ApiException.VendorTimeout(vendor.Name);
        }
    }

    public static ApiException MapStatus(VendorEndpoint vendor, HttpStatusCode status, string? message) => (int)status switch
    {
        401 or 403 or 400 when vendor.Channel != Channels.ChannelNames.Default && RefusesCredentials(status, message) =>
            ApiException.VendorError(vendor.Name, $"rejected the credentials of channel '{vendor.Channel}'"),
        429 => ApiException.RateLimited($"{vendor.Name} is rate limiting: {message ?? "try again later"}"),
        400 when message?.Contains("API key", StringComparison.OrdinalIgnoreCase) == true =>
            ApiException.VendorError(vendor.Name, $"rejected the gateway's credentials (check {vendor.Definition.KeyVariable})"),
        400 or 422 => ApiException.BadRequest($"{vendor.Name} rejected the request: {message ?? "bad request"}"),
        401 or 403 => ApiException.VendorError(vendor.Name, $"rejected the gateway's credentials (check {vendor.Definition.KeyVariable})"),
        408 or 504 => ApiException.VendorTimeout(vendor.Name),
        _ => ApiException.VendorError(vendor.Name, $"HTTP {(int)status}{(message is null ? "" : ": " + message)}"),
    };

    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            return text.Length > 4096 ? text[..4096] : text;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return "";
        }
    }

    /// <summary>
    /// Finds the message in the vendors' error shapes (<c>error.message</c>, Volcengine's <c>ResponseMetadata.Error.Message</c>,
    /// <c>message</c>, <c>msg</c>) and the vendor's own error code beside it (<c>error.code</c>, <c>ResponseMetadata.Error.Code</c>,
    /// <c>code</c>; a number as its digits).
    /// </summary>
    public static (string? Message, string? Code) ExtractError(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return default;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return default;
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    return (Limit(m.GetString()), CodeOf(error, "code"));
                if (error.ValueKind == JsonValueKind.String) return (Limit(error.GetString()), CodeOf(root, "code"));
            }
            // Volcengine OpenAPI gateways: {"ResponseMetadata":{"Error":{"Code","Message"}}}
            if (root.TryGetProperty("ResponseMetadata", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("Error", out var volc) && volc.ValueKind == JsonValueKind.Object
                && volc.TryGetProperty("Message", out var vm) && vm.ValueKind == JsonValueKind.String)
                return (Limit(vm.GetString()), CodeOf(volc, "Code"));
            foreach (var name in (string[])["message", "msg"])
                if (root.TryGetProperty(name, out var m) && m.ValueKind == JsonValueKind.String)
                    return (Limit(m.GetString()), CodeOf(root, "code"));
            return (null, CodeOf(root, "code"));
        }
        catch (JsonException)
        {
        }
        return default;

        static string? CodeOf(JsonElement e, string name) => e.TryGetProperty(name, out var c) ? c.ValueKind switch
        {
            JsonValueKind.String => Limit(c.GetString()),
            JsonValueKind.Number => c.GetRawText(),
            _ => null,
        } : null;
    }

    private static string? Limit(string? s) => s is { Length: > 300 } ? s[..300] : s;
}

/// <summary>One try's result: <see cref="Response"/> on a success, else <see cref="Error"/>.</summary>
public readonly record struct VendorTry(HttpResponseMessage? Response, string Outcome, ApiException? Error)
{
    /// <summary>A failure of the channel, not of the request: another channel may answer.</summary>
    public bool ChannelFailed => Outcome is VendorOutcomes.Timeout or VendorOutcomes.Unreachable or VendorOutcomes.RateLimited
        or VendorOutcomes.ServerError or VendorOutcomes.Auth;
}

/// <summary>The <c>outcome</c> and <c>kind</c> tag values of the vendor metrics.</summary>
public static class VendorOutcomes
{
    public const string Ok = "ok";
    public const string Timeout = "timeout";
    public const string Unreachable = "unreachable";
    public const string RateLimited = "rate_limited";
    public const string Auth = "auth";
    public const string ClientError = "client_error";
    public const string ServerError = "server_error";
    public const string StreamCut = "stream_cut";
    public const string Malformed = "malformed";

    public static string ForStatus(int status) => status switch
    {
        429 => RateLimited,
        401 or 403 => Auth,
        408 or 504 => Timeout,
        >= 500 => ServerError,
        _ => ClientError,
    };
}
