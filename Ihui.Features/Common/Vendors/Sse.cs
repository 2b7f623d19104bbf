using System.Runtime.CompilerServices;
using System.Text;

namespace Ihui.Features.Common.Vendors;

/// <summary>
/// Reads Server-Sent Events' <c>data:</c> payloads. Skips comments (DeepSeek's <c>: keep-alive</c>), blank
/// lines and other fields; joins multi-line data; stops at end of stream.
/// </summary>
public static class Sse
{
    /// <remarks>Every line read (comments included) tells <paramref name="idle"/> the vendor is alive.</remarks>
    public static async IAsyncEnumerable<string> ReadDataAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct,
        StreamIdleWatch? idle = null)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        StringBuilder? data = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            idle?.Alive();
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    yield return data.ToString();
                    data = null;
                }
                continue;
            }
            if (line[0] == ':' || !line.StartsWith("data:", StringComparison.Ordinal)) continue;
            var value = line.AsSpan(5);
            if (value.Length > 0 && value[0] == ' ') value = value[1..];
            if (data is null) data = new StringBuilder().Append(value);
            else data.Append('\n').Append(value);
        }
        if (data is not null) yield return data.ToString();
    }
}
