using System.Globalization;
using System.Text.RegularExpressions;

namespace Ihui.Tests.Operations;

/// <summary>Reads Prometheus text exposition: the sum of the series of one metric whose labels include the given ones.</summary>
public sealed partial class Prometheus(string text)
{
    public string Text => text;

    public double Value(string metric, params (string Name, string Value)[] labels)
    {
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (nameEnd <= 0 || line[..nameEnd] != metric) continue;
            var found = new Dictionary<string, string>();
            var valueStart = nameEnd;
            if (line[nameEnd] == '{')
            {
                var close = line.LastIndexOf('}');
                foreach (Match m in Label().Matches(line[(nameEnd + 1)..close])) found[m.Groups[1].Value] = m.Groups[2].Value;
                valueStart = close + 1;
            }
            if (!labels.All(l => found.TryGetValue(l.Name, out var v) && v == l.Value)) continue;
            var value = line[valueStart..].Trim().Split(' ')[0];
            sum += value switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, _ => double.Parse(value, CultureInfo.InvariantCulture) };
        }
        return sum;
    }

    public bool Has(string metric) => text.Split('\n').Any(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal));

    [GeneratedRegex("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();
}
