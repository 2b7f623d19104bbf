namespace Ihui.Features.Common.Storage;

/// <summary>
/// Where Ihui keeps files it serves back (uploaded images, generated audio): a local directory by default, an
/// S3-compatible bucket when one is configured. Names are flat (<see cref="ObjectNames"/>); the caller picks them.
/// </summary>
public interface IObjectStore
{
    /// <summary>name: a flat file name chosen by the caller (random, with extension, no slashes), e.g. "5f0c…e1.mp3".</summary>
    Task PutAsync(string name, string contentType, Stream content, CancellationToken ct);

    /// <summary>null when there is no such file (an invalid name included).</summary>
    Task<StoredFile?> OpenAsync(string name, CancellationToken ct);

    /// <summary>Removing a file that does not exist is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken ct);

    /// <summary>
    /// The store's own absolute URL for the file when it has one reachable from outside (S3 with a public base URL
    /// configured), else null (the local directory store: files are served by an Ihui route).
    /// </summary>
    Uri? DirectUrl(string name);
}

/// <summary>An opened file; disposing it closes <see cref="Content"/>.</summary>
public sealed record StoredFile(Stream Content, string ContentType, long Length) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
