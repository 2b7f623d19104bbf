using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ihui.Features.Story.SelectSpeakers;

/// <summary>
/// The deterministic parts of speaker selection: mentions, checking a model's answer, the fallback rotation. The
/// narrator speaks at most once per turn, and last.
/// </summary>
public static class SpeakerRules
{
    public const int MaxSpeakers = 3;

    /// <summary>The fallback adds the narrator (last) on every this-many-th turn.</summary>
    public const int NarratorEvery = 3;

    /// <summary>
    /// The names the message mentions, in the order first mentioned. A name with CJK characters matches as a substring
    /// (Chinese has no word boundaries: "小惠你好" names 小惠); any other name matches case-insensitively where it is not
    /// part of a longer Latin word. An occurrence inside a longer name's occurrence does not count (小惠子 is not 小惠).
    /// </summary>
    public static IReadOnlyList<string> Mentioned(string message, IReadOnlyList<string> names, string? narrator)
    {
        var occurrences = new List<(string Name, int At, int Length)>();
        foreach (var name in names)
        {
            var cjk = name.Any(IsCjk);
            var comparison = cjk ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            for (var at = message.IndexOf(name, comparison); at >= 0; at = message.IndexOf(name, at + 1, comparison))
                if (cjk || Bounded(message, at, name.Length)) occurrences.Add((name, at, name.Length));
        }
        var found = occurrences
            .Where(o => !occurrences.Any(longer => longer.Length > o.Length && longer.At <= o.At && o.At + o.Length <= longer.At + longer.Length))
            .GroupBy(o => o.Name).Select(g => (Name: g.Key, At: g.Min(o => o.At))).OrderBy(o => o.At).Select(o => o.Name);
        return NarratorLast(found, narrator);
    }

    /// <summary>
    /// A model's answer <c>{"speakers": […]}</c> (a code fence around it is allowed), checked: known names only, no
    /// duplicates, 1 to <see cref="MaxSpeakers"/>. The narrator is put last. Returns the error to tell the model otherwise.
    /// </summary>
    public static (IReadOnlyList<string>? Speakers, string? Error) Check(string answer, IReadOnlyList<string> names, string? narrator)
    {
        var text = answer.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var start = text.IndexOf('\n');
            var end = text.LastIndexOf("```", StringComparison.Ordinal);
            text = start >= 0 && end > start ? text[(start + 1)..end].Trim() : text;
        }
        List<string> speakers = [];
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("speakers", out var list) || list.ValueKind != JsonValueKind.Array)
                return (null, "answer with a JSON object {\"speakers\": [names]}");
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return (null, "every speaker must be a name (a JSON string)");
                speakers.Add(item.GetString()!);
            }
        }
        catch (JsonException)
        {
            return (null, "the answer was not JSON; answer with a JSON object {\"speakers\": [names]}");
        }
        if (speakers.Count == 0) return (null, "choose at least one speaker");
        if (speakers.Count > MaxSpeakers) return (null, $"choose at most {MaxSpeakers} speakers");
        if (speakers.FirstOrDefault(s => !names.Contains(s, StringComparer.Ordinal)) is { } unknown)
            return (null, $"'{unknown}' is not one of the characters; use only: {string.Join(", ", names)}");
        if (speakers.Distinct(StringComparer.Ordinal).Count() != speakers.Count) return (null, "name each speaker once");
        return (NarratorLast(speakers, narrator), null);
    }

    /// <summary>
    /// The rule when nobody is mentioned and the model gives no usable answer: one character, rotating with the turn from
    /// a start seeded by the conversation (so the same conversation and turn give the same speaker), skipping the last
    /// speaker when there is another; the narrator joins last on every <see cref="NarratorEvery"/>-th turn, and speaks
    /// alone when it is the only name.
    /// </summary>
    public static IReadOnlyList<string> Fallback(IReadOnlyList<string> names, string? narrator, string? seed, int turn, string? lastSpeaker)
    {
        var cast = names.Where(n => n != narrator).ToList();
        if (cast.Count == 0) return names.Count > 0 ? [names[0]] : [];
        var index = (int)((Fnv(seed ?? "") + (uint)Math.Max(turn, 0)) % (uint)cast.Count);
        if (cast.Count > 1 && cast[index] == lastSpeaker) index = (index + 1) % cast.Count;
        List<string> speakers = [cast[index]];
        if (narrator is not null && names.Contains(narrator) && turn % NarratorEvery == 0 && lastSpeaker != narrator) speakers.Add(narrator);
        return speakers;
    }

    private static List<string> NarratorLast(IEnumerable<string> speakers, string? narrator)
    {
        var list = speakers.ToList();
        if (narrator is not null && list.Remove(narrator)) list.Add(narrator);
        return list;
    }

    private static bool Bounded(string text, int at, int length) =>
        (at == 0 || !IsWordChar(text[at - 1])) && (at + length >= text.Length || !IsWordChar(text[at + length]));

    private static bool IsWordChar(char c) => (char.IsLetterOrDigit(c) || c == '_') && !IsCjk(c);

    /// <summary>Han, kana and hangul: scripts written without spaces between words.</summary>
    public static bool IsCjk(char c) => c is >= '\u3040' and <= '\u30ff' or >= '\u3400' and <= '\u4dbf' or >= '\u4e00' and <= '\u9fff'
        or >= '\uac00' and <= '\ud7af' or >= '\uf900' and <= '\ufaff';

    private static uint Fnv(string s)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(s.ToLower(CultureInfo.InvariantCulture))) hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
