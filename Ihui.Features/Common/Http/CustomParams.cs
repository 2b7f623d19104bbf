using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ihui.Features.Common.Http;

/// <summary>Seed 000's <c>zidingyican</c> ("custom parameters"): a name/value list the client passes to the vendor.</summary>
public sealed record CustomParam(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("value")] JsonElement? Value,
    [property: JsonPropertyName("desc")] string? Desc = null)
{
    /// <summary>The value as text, whether the client sent <c>"5"</c> or <c>5</c>; null for objects, arrays and null.</summary>
    public string? Text => Value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public long? AsLong => long.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
    public bool? AsBool => bool.TryParse(Text, out var v) ? v : null;
}
