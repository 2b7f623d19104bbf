namespace Ihui.Features.Common.Storage;

/// <summary>Images Ihui keeps and serves itself (uploads, generated images): the type by signature bytes, a random name.</summary>
public sealed class ImageFiles(IObjectStore store, PublicUrls urls)
{
    /// <summary>The image type by its signature bytes (JPEG, PNG, GIF, WebP), or null.</summary>
    public static (string Extension, string Mime)? Sniff(ReadOnlySpan<byte> b) => b switch
    {
        [0xFF, 0xD8, 0xFF, ..] => ("jpg", "image/jpeg"),
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => ("png", "image/png"),
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => ("gif", "image/gif"),
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => ("webp", "image/webp"),
        _ => null,
    };

    /// <summary>Stores an image under a new random name; null when the bytes are not an image of a known type.</summary>
    public async Task<string?> SaveAsync(MemoryStream content, CancellationToken ct)
    {
        if (Sniff(content.GetBuffer().AsSpan(0, (int)content.Length)) is not var (extension, mime)) return null;
        var name = ObjectNames.Random(extension);
        content.Position = 0;
        await store.PutAsync(name, mime, content, ct);
        return name;
    }

    /// <summary>The absolute URL of a stored image served by <paramref name="routePrefix"/> (see <see cref="PublicUrls.For"/>).</summary>
    public Uri UrlFor(string routePrefix, string name, Uri? origin = null) => urls.For(routePrefix, name, origin);
}
