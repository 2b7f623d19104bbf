using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.DashScope;
using Ihui.Features.Common.Vendors.OpenAiCompatible;

namespace Ihui.Features.Voice.Transcribe;

/// <summary>
/// Two DashScope ASR paths (notes-seeds-003-004 §1b): qwen3-asr-flash in compatible mode with the clip inline as a
/// base64 data URL (no storage needed; the default), or paraformer/fun-asr file transcription, an async task on a URL
/// the vendor fetches, used when the clip has a public URL.
/// </summary>
public sealed class DashScopeSpeechRecognitionAdapter(OpenAiCompatibleClient chat, DashScopeClient native, VendorEndpoints endpoints,
    IHttpClientFactory httpClients, CallContext call, TimeProvider clock)
{
    public const string TranscriptionPath = "api/v1/services/audio/asr/transcription";

    public Task<TranscribeUtteranceResult> TranscribeAsync(TranscribeUtteranceRequest request, CancellationToken ct)
    {
        var vendor = endpoints.Get(KnownVendors.DashScope);
        call.Vendor = vendor.Name;
        return request.PublicUrl is { } url && IsFileModel(request.Model)
            ? FileTranscriptionAsync(vendor, request, url, ct)
            : InlineAsync(vendor, request, ct);
    }

    public static bool IsFileModel(string model) => model.StartsWith("paraformer", StringComparison.Ordinal) || model.StartsWith("fun-asr", StringComparison.Ordinal);

    private async Task<TranscribeUtteranceResult> InlineAsync(VendorEndpoint vendor, TranscribeUtteranceRequest request, CancellationToken ct)
    {
        var dataUrl = $"data:{request.Clip.MimeType};base64,{Convert.ToBase64String(request.Clip.Bytes)}";
        var completion = await chat.CompleteAsync(vendor.Definition, new ChatCompletionRequest
        {
            Model = request.Model,
            Messages = [new ChatMessage("user", new object[] { new { type = "input_audio", input_audio = new { data = dataUrl } } })],
            Extra = new() { ["asr_options"] = JsonSerializer.SerializeToElement(new { enable_itn = false }) },
        }, ct);
        var text = completion.Choices[0].Message?.Content ?? "";
        var seconds = completion.Usage?.Seconds;
        return new TranscribeUtteranceResult(text.Trim(), seconds is { } s ? new Usage(0, 0, Seconds: s) : request.EstimateUsage() with { Estimated = true });
    }

    private async Task<TranscribeUtteranceResult> FileTranscriptionAsync(VendorEndpoint vendor, TranscribeUtteranceRequest request, Uri url,
        CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["model"] = request.Model,
            ["input"] = new JsonObject { ["file_urls"] = new JsonArray(url.AbsoluteUri) },
            ["parameters"] = new JsonObject { ["language_hints"] = new JsonArray("zh", "en") },
        };
        var taskId = await native.SubmitTaskAsync(TranscriptionPath, JsonSerializer.SerializeToElement(body), ct);
        var deadline = clock.GetUtcNow() + vendor.Timeout;
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            using var doc = await native.GetTaskAsync(taskId, ct);
            var root = doc.RootElement;
            var output = root.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.Object ? o
                : throw ApiException.VendorError(vendor.Name, "transcription task answer without output");
            switch (Text(output, "task_status"))
            {
                case "SUCCEEDED":
                    var resultUrl = output.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
                        ? results.EnumerateArray().Select(r => Text(r, "transcription_url")).FirstOrDefault(u => u is { Length: > 0 })
                        : null;
                    if (resultUrl is null || !Uri.TryCreate(resultUrl, UriKind.Absolute, out var transcriptionUrl) || transcriptionUrl.Scheme is not ("https" or "http"))
                        throw ApiException.VendorError(vendor.Name, "transcription succeeded without a transcription_url");
                    var text = await FetchTranscriptAsync(vendor, transcriptionUrl, ct);
                    decimal? seconds = root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
                                       && usage.TryGetProperty("duration", out var d) && d.TryGetDecimal(out var n) ? n : null;
                    return new TranscribeUtteranceResult(text, seconds is { } s ? new Usage(0, 0, Seconds: s) : request.EstimateUsage() with { Estimated = true });
                case "FAILED" or "CANCELED" or "UNKNOWN":
                    throw ApiException.VendorError(vendor.Name, "transcription failed: " + (Text(output, "message") ?? Text(output, "code") ?? "no reason given"));
            }
            if (clock.GetUtcNow() > deadline) throw ApiException.VendorTimeout(vendor.Name);
            await Task.Delay(delay, clock, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 2000));
        }
    }

    private async Task<string> FetchTranscriptAsync(VendorEndpoint vendor, Uri url, CancellationToken ct)
    {
        // A signed result link: no credential goes with it.
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await VendorHttp.SendAsync(httpClients.CreateClient(vendor.Definition.HttpClientName), vendor, message,
            HttpCompletionOption.ResponseContentRead, ct);
        using var doc = await VendorHttp.ReadJsonAsync<JsonDocument>(response, vendor, JsonSerializerOptions.Default, ct);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("transcripts", out var transcripts)
            || transcripts.ValueKind != JsonValueKind.Array)
            throw ApiException.VendorError(vendor.Name, "transcription result without transcripts");
        return string.Concat(transcripts.EnumerateArray().Select(t => Text(t, "text"))).Trim();
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
