using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;

namespace Ihui.Features.Common.Validation;

/// <summary>
/// Every text field of every request has a maximum, checked by the validation behaviour before the slice's own rules
/// (which may set a smaller one), so a value too long for its column is a 400 on both stores, never a database error:
/// identifiers (<c>chat_id</c>, <c>model</c>, <c>user_uuid</c>, any <c>…_id</c>, <c>Idempotency-Key</c>) at most
/// <see cref="MaxIdChars"/> characters, URLs and inline images at most <see cref="MaxImageChars"/>, any other text at
/// most <see cref="MaxTextChars"/>. Lists have their own rules (e.g. <c>image_urls</c>).
/// </summary>
public static class TextLimits
{
    public const int MaxIdChars = 128;
    public const int MaxTextChars = 1_000_000;

    /// <summary>A base64 <c>data:</c> URI of <see cref="CommonRules.MaxInlineImageBytes"/> with room for its header.</summary>
    public const int MaxImageChars = CommonRules.MaxInlineImageBytes / 3 * 4 + 1024;

    private sealed record Field(string Name, int Max, Func<object, string?> Get);

    private static readonly ConcurrentDictionary<Type, Field[]> Fields = new();

    public static int MaxFor(string propertyName) => propertyName switch
    {
        "Model" or "Uuid" or "IdempotencyKey" or "ReqKey" => MaxIdChars,
        _ when propertyName.EndsWith("Id", StringComparison.Ordinal) || propertyName.EndsWith("Uuid", StringComparison.Ordinal) => MaxIdChars,
        _ when propertyName.EndsWith("Url", StringComparison.Ordinal) || propertyName is "Image" or "Avatar" or "Thumbnail" or "Background" => MaxImageChars,
        _ => MaxTextChars,
    };

    /// <summary>The fields of <paramref name="message"/> longer than their maximum (the logged call's chat id included).</summary>
    public static List<FieldError>? Problems(object message)
    {
        List<FieldError>? errors = null;
        foreach (var f in Fields.GetOrAdd(message.GetType(), Describe))
            if (f.Get(message) is { } value && value.Length > f.Max)
                (errors ??= []).Add(TooLong(f.Name, f.Max));
        // A chat id can come from another property (a voice session's id): it goes into calls.chat_id all the same.
        if (message is ILoggedCall { ChatId: { Length: > MaxIdChars } } && errors?.Any(e => e.Field == "chat_id") != true)
            (errors ??= []).Add(TooLong("chat_id", MaxIdChars));
        return errors;
    }

    private static FieldError TooLong(string field, int max) =>
        new(field, $"must be at most {max} characters") { Type = "string_too_long" };

    private static Field[] Describe(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            // Fields a client sets (settable, init included); a computed property derives from them and may expect
            // them valid, so it is never read here.
            .Where(p => p.PropertyType == typeof(string) && p.CanRead && p.SetMethod is not null && p.GetIndexParameters().Length == 0)
            .Select(p => new Field(
                p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name),
                MaxFor(p.Name), Getter(p)))
            .ToArray();

    // A delegate over the getter: reflection's GetValue on every call was ~9 µs of a stream's first token from cold caches.
    private static Func<object, string?> Getter(PropertyInfo p) =>
        p.DeclaringType is { IsValueType: false, ContainsGenericParameters: false } type
            ? (Func<object, string?>)typeof(TextLimits).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type).Invoke(null, [p.GetMethod!])!
            : o => (string?)p.GetValue(o);

    private static Func<object, string?> Typed<T>(MethodInfo getter) where T : class
    {
        var get = getter.CreateDelegate<Func<T, string?>>();
        return o => get((T)o);
    }
}
