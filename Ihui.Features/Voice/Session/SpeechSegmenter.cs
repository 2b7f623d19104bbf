using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ihui.Features.Voice.Session;

/// <summary>
/// Cuts a streamed answer into sentences for the speech engine as the deltas arrive, and cleans each one of what
/// cannot be spoken: fenced code, inline code marks, URLs, markdown marks, emoji and other pictographs. The client's
/// chat chunks keep the full text; only what goes to TTS is cleaned.
/// </summary>
public sealed partial class SpeechSegmenter(int maxSentenceChars = 200)
{
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _sentence = new();
    private bool _inFence;
    private bool _atLineStart = true;

    /// <summary>Characters of cleaned text handed out so far.</summary>
    public long SpokenChars { get; private set; }

    public IReadOnlyList<string> Push(string delta)
    {
        _pending.Append(delta);
        return Drain(final: false);
    }

    /// <summary>What is left when the answer has ended.</summary>
    public IReadOnlyList<string> Finish() => Drain(final: true);

    private List<string> Drain(bool final)
    {
        var output = new List<string>();
        var text = _pending.ToString();
        var i = 0;
        while (i < text.Length)
        {
            if (_atLineStart && (text.Length - i >= 3 || final) && text.AsSpan(i).StartsWith("```"))
            {
                var eol = text.IndexOf('\n', i);
                if (eol < 0 && !final) break; // the fence line is not complete yet
                if (!_inFence) Emit(output);
                _inFence = !_inFence;
                i = eol < 0 ? text.Length : eol + 1;
                _atLineStart = true;
                continue;
            }
            if (_atLineStart && text.Length - i < 3 && !final && "```".StartsWith(text[i..], StringComparison.Ordinal)) break;
            var c = text[i++];
            _atLineStart = c == '\n';
            if (_inFence) continue;
            _sentence.Append(c);
            if (IsBoundary(c, i < text.Length ? text[i] : (char?)null, final) || char.IsWhiteSpace(c) && _sentence.Length >= 2 && _sentence[^2] == '.' || _sentence.Length >= maxSentenceChars && (char.IsWhiteSpace(c) || c is '，' or ','))
                Emit(output);
        }
        _pending.Clear().Append(text, i, text.Length - i);
        if (final)
        {
            _pending.Clear();
            Emit(output);
        }
        return output;
    }

    // '.' ends a sentence only before a space or a line end (not inside 3.14 or a domain name).
    private static bool IsBoundary(char c, char? next, bool final) => c switch
    {
        '。' or '！' or '？' or '!' or '?' or '；' or ';' or '\n' or '…' => true,
        '.' => next is null ? final : char.IsWhiteSpace(next.Value),
        _ => false,
    };

    private void Emit(List<string> output)
    {
        if (_sentence.Length == 0) return;
        var clean = Clean(_sentence.ToString());
        _sentence.Clear();
        if (clean.Length == 0) return;
        SpokenChars += clean.Length;
        output.Add(clean);
    }

    /// <summary>The text with what a speech engine cannot read taken out.</summary>
    public static string Clean(string text)
    {
        text = MarkdownImage().Replace(text, "$1");
        text = MarkdownLink().Replace(text, "$1");
        text = Url().Replace(text, "");
        text = text.Replace("`", "", StringComparison.Ordinal);
        text = LineMarks().Replace(text, "");
        text = InlineMarks().Replace(text, "");
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsPictograph(rune)) continue;
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.OtherSymbol or UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.NonSpacingMark && rune.Value is >= 0xFE00 and <= 0xFE0F)
            {
                if (char.IsWhiteSpace((char)Math.Min(rune.Value, 0xFFFF))) sb.Append(' ');
                continue;
            }
            sb.Append(rune.ToString());
        }
        return Spaces().Replace(sb.ToString(), " ").Trim();
    }

    private static bool IsPictograph(Rune r) => r.Value is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or >= 0x2B00 and <= 0x2BFF
        or 0x200D or 0x20E3 or >= 0xFE00 and <= 0xFE0F or >= 0xE0000 and <= 0xE007F;

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")] private static partial Regex MarkdownImage();
    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")] private static partial Regex MarkdownLink();
    [GeneratedRegex(@"(?:https?|ftp)://\S+|www\.[^\s，。]+", RegexOptions.IgnoreCase)] private static partial Regex Url();
    [GeneratedRegex(@"(?m)^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+|\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$)")] private static partial Regex LineMarks();
    [GeneratedRegex(@"\*\*|__|~~|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|\||#")] private static partial Regex InlineMarks();
    [GeneratedRegex(@"\s+")] private static partial Regex Spaces();
}
