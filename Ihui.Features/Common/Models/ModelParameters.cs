using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ihui.Features.Common.Models;

/// <summary>
/// A registry model's default parameters: a JSON object (<c>{"temperature":1.5,"max_tokens":800}</c>) merged into each
/// vendor request. Seed 003's clients do not send them; a value the request gives explicitly wins over the default.
/// </summary>
public static class ModelParameters
{
    public const int MaxChars = 8000;

    /// <summary>The object as compact JSON, or null when the text is not a JSON object (or too long).</summary>
    public static string? Normalize(string text)
    {
        if (text.Length > MaxChars) return null;
        try
        {
            return JsonNode.Parse(text) is JsonObject o ? o.ToJsonString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The parameters as name → value; empty when there are none.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Of(CatalogModel model)
    {
        if (model.Parameters is not { Length: > 0 } text) return new Dictionary<string, JsonElement>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                : new Dictionary<string, JsonElement>();
        }
        catch (JsonException)
        {
            return new Dictionary<string, JsonElement>();
        }
    }

    public static double? Number(IReadOnlyDictionary<string, JsonElement> p, string name) =>
        p.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? d : null;

    public static int? Integer(IReadOnlyDictionary<string, JsonElement> p, string name) =>
        p.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}
