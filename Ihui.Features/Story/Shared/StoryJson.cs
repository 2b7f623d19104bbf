using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ihui.Features.Story.Shared;

/// <summary>
/// Seed 003's JSON: snake_case, nulls written out (its FastAPI server sends them), text unescaped; ids 24 hex digits;
/// times ISO 8601 UTC.
/// </summary>
public static class StoryJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonHttpResult<T> Ok<T>(T value) => TypedResults.Json(value, Options);

    public static JsonHttpResult<T> Created<T>(T value) => TypedResults.Json(value, Options, statusCode: StatusCodes.Status201Created);

    /// <summary>A new id: 4 bytes of seconds since 1970 then 8 random bytes, in hex (ObjectId-shaped, roughly time-ordered).</summary>
    public static string NewId(TimeProvider clock)
    {
        Span<byte> id = stackalloc byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(id, (uint)clock.GetUtcNow().ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(id[4..]);
        return Convert.ToHexStringLower(id);
    }

    public static bool IsId(string? id) => id is { Length: 24 } && id.All(char.IsAsciiHexDigit);

    public static string Time(DateTime t) =>
        DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string? Time(DateTime? t) => t is { } v ? Time(v) : null;

    /// <summary>A stored JSON text as a value to send (null stays null; text that is not JSON is sent as a string).</summary>
    public static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }

    public static string? Text(JsonElement? value) => value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } v ? v.GetRawText() : null;
}
