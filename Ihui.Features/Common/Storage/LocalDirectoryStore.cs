namespace Ihui.Features.Common.Storage;

/// <summary>
/// Files in one directory (<c>STORAGE_DIR</c>); each file's content type is kept beside it under <c>.meta/</c>. A file
/// is written under a temporary name and moved into place, so a reader never sees half of it.
/// </summary>
public sealed class LocalDirectoryStore : IObjectStore
{
    private readonly string _root;
    private readonly string _meta;
    private readonly string _tmp;

    public LocalDirectoryStore(string directory)
    {
        _root = Path.GetFullPath(directory);
        _meta = Path.Combine(_root, ".meta");
        _tmp = Path.Combine(_root, ".tmp");
        Directory.CreateDirectory(_meta);
        Directory.CreateDirectory(_tmp);
    }

    public string Root => _root;

    public async Task PutAsync(string name, string contentType, Stream content, CancellationToken ct)
    {
        ObjectNames.EnsureValid(name);
        var temp = Path.Combine(_tmp, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                await content.CopyToAsync(file, ct);
            await File.WriteAllTextAsync(Path.Combine(_meta, name), contentType, ct);
            File.Move(temp, Path.Combine(_root, name), overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<StoredFile?> OpenAsync(string name, CancellationToken ct)
    {
        if (!ObjectNames.IsValid(name)) return Task.FromResult<StoredFile?>(null);
        FileStream stream;
        try
        {
            stream = new FileStream(Path.Combine(_root, name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return Task.FromResult<StoredFile?>(null);
        }
        var metaPath = Path.Combine(_meta, name);
        var contentType = File.Exists(metaPath) ? File.ReadAllText(metaPath) : "application/octet-stream";
        return Task.FromResult<StoredFile?>(new StoredFile(stream, contentType, stream.Length));
    }

    public Task DeleteAsync(string name, CancellationToken ct)
    {
        if (!ObjectNames.IsValid(name)) return Task.CompletedTask;
        File.Delete(Path.Combine(_root, name));
        File.Delete(Path.Combine(_meta, name));
        return Task.CompletedTask;
    }

    public Uri? DirectUrl(string name) => null;
}
