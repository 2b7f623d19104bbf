using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.DashScope;

namespace Ihui.Features.DashScope.DashScopeAudioRecognize;

/// <summary>Maps the slice to qwen3-asr-flash's native multimodal generation (§3f (b)); bills <c>usage.seconds</c>.</summary>
public sealed class DashScopeAsrAdapter(DashScopeClient client, CallContext call)
{
    public async Task<DashScopeAudioRecognizeResult> RecognizeAsync(DashScopeAudioRecognizeRequest request, CancellationToken ct)
    {
        call.Vendor = client.Vendor.Name;
        var messages = new JsonArray();
        if (!string.IsNullOrEmpty(request.SystemPrompt))
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = new JsonArray(new JsonObject { ["text"] = request.SystemPrompt }) });
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["audio"] = request.AudioUrl }) });
        var asr = new JsonObject { ["enable_itn"] = false };
        if (request.Language is { } language) asr["language"] = language;
        var body = new JsonObject
        {
            ["model"] = request.EffectiveModel,
            ["input"] = new JsonObject { ["messages"] = messages },
            ["parameters"] = new JsonObject { ["asr_options"] = asr },
        };
        using var doc = await client.GenerateAsync(JsonSerializer.SerializeToElement(body), ct);
        var answer = MultimodalAnswer.From(doc, client.Vendor.Name);
        var text = string.Concat(answer.Strings("text"));
        var detected = answer.Annotations
            .Where(a => a.ValueKind == JsonValueKind.Object && a.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String)
            .Select(a => a.GetProperty("language").GetString()).FirstOrDefault() ?? request.Language;
        var tokens = (answer.UsageNumber("input_tokens") ?? 0) + (answer.UsageNumber("output_tokens") ?? 0);
        var usage = answer.UsageDecimal("seconds") is { } seconds
            ? new Usage(0, 0, Seconds: seconds)
            : request.EstimateUsage() with { Estimated = true };
        return new DashScopeAudioRecognizeResult(text, detected, tokens, usage);
    }
}
