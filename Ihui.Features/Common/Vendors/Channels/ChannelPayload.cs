using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ihui.Features.Common.Vendors.Channels;

/// <summary>The model field of a vendor's JSON body: read to route by it, rewritten to the name a channel knows the model by.</summary>
public static class ChannelPayload
{
    public static string? Text(JsonElement body, string field) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary><paramref name="body"/> with <paramref name="field"/> set to <paramref name="value"/>; the same body when it already is.</summary>
    public static JsonElement WithText(JsonElement body, string field, string? value)
    {
        if (value is null || Text(body, field) is not { } current || current == value) return body;
        var node = JsonNode.Parse(body.GetRawText())!.AsObject();
        node[field] = value;
        return JsonSerializer.SerializeToElement(node);
    }
}
