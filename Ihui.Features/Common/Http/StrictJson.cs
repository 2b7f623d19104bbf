using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ihui.Features.Common.Http;

/// <summary>
/// A JSON string that is not well-formed Unicode: a lone UTF-16 surrogate (<c>"\ud800"</c> without its pair) or
/// bytes that are not UTF-8. Malformed JSON like any other: HTTP 400 <c>invalid_json</c>, or an error frame on a socket.
/// </summary>
public sealed class InvalidJsonTextException(string path, Exception? inner = null)
    : JsonException($"the text at {path} is not valid Unicode (a lone UTF-16 surrogate or invalid UTF-8)", inner)
{
    /// <summary>Where in the checked value the text is (<c>$</c> is the value itself).</summary>
    public string TextPath { get; } = path;
}

/// <summary>
/// JSON read the strict way: <see cref="System.Text.Json"/> accepts lone surrogates inside a <see cref="JsonElement"/>
/// and fails only when the text is read or written again (a 500, or a dropped socket). Everything Ihui parses from a
/// client (sockets' frames, bodies kept as <see cref="JsonElement"/>) is checked once, here.
/// </summary>
public static class StrictJson
{
    /// <summary>Parses <paramref name="text"/>; malformed JSON or text that is not valid Unicode is a <see cref="JsonException"/>.</summary>
    public static JsonDocument Parse(string text)
    {
        var doc = JsonDocument.Parse(text);
        try
        {
            Check(doc.RootElement, "$");
            return doc;
        }
        catch
        {
            doc.Dispose();
            throw;
        }
    }

    /// <summary>Throws <see cref="InvalidJsonTextException"/> naming the first string (or property name) that is not valid Unicode.</summary>
    public static void Check(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Read(element, path);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Check(item, $"{path}[{i++}]");
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException e)
                    {
                        throw new InvalidJsonTextException(path, e);
                    }
                    Check(property.Value, $"{path}.{name}");
                }
                break;
        }
    }

    private static void Read(JsonElement element, string path)
    {
        try
        {
            _ = element.GetString();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidJsonTextException(path, e);
        }
    }
}

/// <summary>Binds a <see cref="JsonElement"/> body field and checks its text (registered in the host's JSON options).</summary>
public sealed class StrictJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        StrictJson.Check(element);
        return element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);
}
