using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.IFlytek;

/// <summary>
/// General OCR over HTTP (vendor-protocols.md §9): the image base64 in a JSON body to a URL signed with POST;
/// the answer's <c>payload.result.text</c> is base64 JSON of pages → lines → words.
/// </summary>
public sealed class OcrClient(IFlytekOptions options, IHttpClientFactory httpClients, TimeProvider clock)
{
    public const string HttpClientName = "vendor:iflytek";

    /// <summary>Recognised text, one line per line found. <paramref name="encoding"/> is <c>jpg</c> or <c>png</c>.</summary>
    public async Task<string> RecognizeAsync(ReadOnlyMemory<byte> image, string encoding, CancellationToken ct)
    {
        var credentials = options.RequireCredentials();
        var url = IFlytekSigner.Sign(options.OcrUrl, "POST", credentials.ApiKey, credentials.ApiSecret, clock.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = VendorHttp.JsonBody(new
            {
                header = new { app_id = credentials.AppId, status = 3 },
                parameter = new
                {
                    sf8e6aca1 = new { category = "ch_en_public_cloud", result = new { encoding = "utf8", compress = "raw", format = "json" } },
                },
                payload = new { sf8e6aca1_data_1 = new { encoding, image = Convert.ToBase64String(image.Span), status = 3 } },
            }, options: IFlytekSocket.Json),
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        JsonDocument doc;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            if (!response.IsSuccessStatusCode && body.Length == 0) throw IFlytekErrors.Handshake((int)response.StatusCode);
            try { doc = JsonDocument.Parse(body); }
            catch (JsonException) when (!response.IsSuccessStatusCode) { throw IFlytekErrors.Handshake((int)response.StatusCode); }
            if (!response.IsSuccessStatusCode && !HasHeaderCode(doc.RootElement))
            {
                doc.Dispose();
                throw IFlytekErrors.Handshake((int)response.StatusCode);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw ApiException.VendorTimeout(IFlytekOptions.Vendor);
        }
        catch (HttpRequestException e)
        {
            throw ApiException.VendorError(IFlytekOptions.Vendor, $"connection failed ({e.HttpRequestError})");
        }
        catch (JsonException)
        {
            throw ApiException.VendorError(IFlytekOptions.Vendor, "malformed response");
        }
        using (doc) return ReadText(doc.RootElement);
    }

    private static bool HasHeaderCode(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("header", out var h) && h.ValueKind == JsonValueKind.Object
        && h.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number;

    public static string ReadText(JsonElement root)
    {
        if (!HasHeaderCode(root)) throw ApiException.VendorError(IFlytekOptions.Vendor, "malformed response");
        var header = root.GetProperty("header");
        var code = header.GetProperty("code").GetInt32();
        if (code != 0)
            throw IFlytekErrors.Map(code, header.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null);
        if (!root.TryGetProperty("payload", out var payload) || !payload.TryGetProperty("result", out var result)
            || !result.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            throw ApiException.VendorError(IFlytekOptions.Vendor, "response has no result");
        try
        {
            using var pages = JsonDocument.Parse(Convert.FromBase64String(text.GetString()!));
            return Lines(pages.RootElement);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw ApiException.VendorError(IFlytekOptions.Vendor, "malformed result");
        }
    }

    private static string Lines(JsonElement root)
    {
        var lines = new List<string>();
        if (root.TryGetProperty("pages", out var pages) && pages.ValueKind == JsonValueKind.Array)
            foreach (var page in pages.EnumerateArray())
                if (page.TryGetProperty("lines", out var ls) && ls.ValueKind == JsonValueKind.Array)
                    foreach (var line in ls.EnumerateArray())
                    {
                        var sb = new StringBuilder();
                        if (line.TryGetProperty("words", out var words) && words.ValueKind == JsonValueKind.Array)
                            foreach (var w in words.EnumerateArray())
                                if (w.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String) sb.Append(c.GetString());
                        if (sb.Length == 0 && line.TryGetProperty("content", out var lc) && lc.ValueKind == JsonValueKind.String) sb.Append(lc.GetString());
                        if (sb.Length > 0) lines.Add(sb.ToString());
                    }
        return string.Join('\n', lines);
    }
}
