using System.Text.Json;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.DashScope;

/// <summary>The parts of a multimodal-generation answer (§3d, §3f): content items, annotations and usage.</summary>
public sealed record MultimodalAnswer(IReadOnlyList<JsonElement> Content, IReadOnlyList<JsonElement> Annotations, JsonElement? Usage)
{
    public static MultimodalAnswer From(JsonDocument doc, string vendor)
    {
        var root = doc.RootElement;
        if (!root.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Object
            || !output.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0
            || !choices[0].TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            throw ApiException.VendorError(vendor, "malformed response: no output.choices[0].message.content");
        var annotations = message.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(e => e.Clone()).ToList()
            : [];
        JsonElement? usage = root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object ? u.Clone() : null;
        return new MultimodalAnswer(content.EnumerateArray().Select(e => e.Clone()).ToList(), annotations, usage);
    }

    public IEnumerable<string> Strings(string key) => Content
        .Where(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String)
        .Select(c => c.GetProperty(key).GetString()!);

    public long? UsageNumber(string key) =>
        Usage is { } u && u.TryGetProperty(key, out var v) && v.TryGetInt64(out var n) ? n : null;

    public decimal? UsageDecimal(string key) =>
        Usage is { } u && u.TryGetProperty(key, out var v) && v.TryGetDecimal(out var n) ? n : null;
}
