using Ihui.Features.Common.Errors;
using Microsoft.AspNetCore.Http;

namespace Ihui.Features.Common.Http;

/// <summary>Reads a raw (non-JSON) request body, refusing it with 413 as soon as it passes <c>maxBytes</c>.</summary>
public static class BinaryBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, string what, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(what, maxBytes);
        using var buffer = new MemoryStream(request.ContentLength is > 0 and var n ? (int)Math.Min(n, maxBytes) : 64 * 1024);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(what, maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ApiException TooLarge(string what, int maxBytes) =>
        ApiException.TooLarge($"{what} is too large (limit {maxBytes} bytes)");
}
