using System.Security.Cryptography;
using Ihui.Features.Common.Storage;
using Ihui.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Ihui.Tests.Storage;

/// <summary>What every object store must do; run against the local directory and against a real S3-compatible server.</summary>
public abstract class ObjectStoreContract
{
    protected abstract IObjectStore Store { get; }

    protected static byte[] RandomBytes(int n) => RandomNumberGenerator.GetBytes(n);

    protected async Task<byte[]?> ReadAsync(string name)
    {
        await using var file = await Store.OpenAsync(name, CancellationToken.None);
        if (file is null) return null;
        using var copy = new MemoryStream();
        await file.Content.CopyToAsync(copy);
        Assert.Equal(copy.Length, file.Length);
        return copy.ToArray();
    }

    protected async Task Round_trip_is_byte_identical_with_its_content_type()
    {
        // 200,003 bytes: an aws-chunked upload would store its chunk framing too (the object would grow).
        var bytes = RandomBytes(200_003);
        var name = ObjectNames.Random("png");
        await Store.PutAsync(name, "image/png", new MemoryStream(bytes), CancellationToken.None);
        await using (var file = await Store.OpenAsync(name, CancellationToken.None))
        {
            Assert.NotNull(file);
            Assert.Equal("image/png", file.ContentType);
            Assert.Equal(200_003, file.Length);
        }
        Assert.Equal(bytes, await ReadAsync(name));
    }

    protected async Task A_stream_that_cannot_seek_is_stored_whole()
    {
        var bytes = RandomBytes(70_001);
        var name = ObjectNames.Random("mp3");
        await Store.PutAsync(name, "audio/mpeg", new PiecewiseStream(bytes, 1000), CancellationToken.None);
        Assert.Equal(bytes, await ReadAsync(name));
    }

    protected async Task Overwrite_replaces_and_delete_removes()
    {
        var name = ObjectNames.Random("gif");
        await Store.PutAsync(name, "image/gif", new MemoryStream([1, 2, 3]), CancellationToken.None);
        await Store.PutAsync(name, "image/webp", new MemoryStream([4, 5]), CancellationToken.None);
        Assert.Equal([4, 5], await ReadAsync(name));
        await using (var file = await Store.OpenAsync(name, CancellationToken.None)) Assert.Equal("image/webp", file!.ContentType);
        await Store.DeleteAsync(name, CancellationToken.None);
        Assert.Null(await Store.OpenAsync(name, CancellationToken.None));
        await Store.DeleteAsync(name, CancellationToken.None); // deleting what is gone is not an error
    }

    protected async Task Unknown_and_non_flat_names_are_not_found_and_cannot_be_written()
    {
        Assert.Null(await Store.OpenAsync(ObjectNames.Random("jpg"), CancellationToken.None));
        foreach (var bad in (string[])["../secret.txt", "a/b.png", "..", ".meta", "x..png", "", "a\\b.png", "a b.png", "%2e%2e%2fx", new('a', 201)])
        {
            Assert.Null(await Store.OpenAsync(bad, CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(bad, "image/png", new MemoryStream([1]), CancellationToken.None));
        }
    }
}

public sealed class LocalDirectoryStoreTests : ObjectStoreContract, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ihui-store-").FullName;
    private readonly LocalDirectoryStore _store;

    public LocalDirectoryStoreTests() => _store = new LocalDirectoryStore(_dir);

    protected override IObjectStore Store => _store;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact] public Task Round_trip() => Round_trip_is_byte_identical_with_its_content_type();
    [Fact] public Task Forward_only_stream() => A_stream_that_cannot_seek_is_stored_whole();
    [Fact] public Task Overwrite_and_delete() => Overwrite_replaces_and_delete_removes();
    [Fact] public Task Bad_names() => Unknown_and_non_flat_names_are_not_found_and_cannot_be_written();

    [Fact]
    public async Task Files_are_kept_in_the_directory_and_a_name_never_leaves_it()
    {
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_dir)!, "outside.txt"), "secret");
        await _store.PutAsync("a1.png", "image/png", new MemoryStream([9]), CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(_dir, "a1.png")));
        Assert.Null(await _store.OpenAsync("../outside.txt", CancellationToken.None));
        Assert.Null(_store.DirectUrl("a1.png"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, ".tmp")));
    }
}

public sealed class S3ObjectStoreTests(S3rverFixture s3) : ObjectStoreContract, IClassFixture<S3rverFixture>
{
    protected override IObjectStore Store => new S3ObjectStore(s3.Options(prefix: "t/"));

    [S3Fact] public Task Round_trip() => Round_trip_is_byte_identical_with_its_content_type();
    [S3Fact] public Task Forward_only_stream() => A_stream_that_cannot_seek_is_stored_whole();
    [S3Fact] public Task Overwrite_and_delete() => Overwrite_replaces_and_delete_removes();
    [S3Fact] public Task Bad_names() => Unknown_and_non_flat_names_are_not_found_and_cannot_be_written();

    [S3Fact]
    public async Task The_direct_url_serves_the_object_under_the_key_prefix()
    {
        var publicBase = new Uri(s3.Endpoint, s3.Bucket + "/");
        var store = new S3ObjectStore(s3.Options(publicBase, "media/"));
        var bytes = RandomBytes(12_345);
        var name = ObjectNames.Random("webp");
        await store.PutAsync(name, "image/webp", new MemoryStream(bytes), CancellationToken.None);

        var url = store.DirectUrl(name);
        Assert.Equal(new Uri(publicBase, "media/" + name), url);
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} from {url}");
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Null(new S3ObjectStore(s3.Options()).DirectUrl(name));
    }
}

public sealed class PublicUrlsTests
{
    private static PublicUrls Urls(IObjectStore store, string? publicBase, string? requestHost = null)
    {
        var options = StorageOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PUBLIC_BASE_URL"] = publicBase }).Build());
        // HttpContextAccessor's context lives in an AsyncLocal: set it (or clear it) every time.
        var accessor = new HttpContextAccessor { HttpContext = null };
        if (requestHost is not null)
        {
            var ctx = new DefaultHttpContext();
            ctx.Request.Scheme = "https";
            ctx.Request.Host = new HostString(requestHost);
            accessor.HttpContext = ctx;
        }
        return new PublicUrls(store, options, accessor);
    }

    private sealed class Direct : IObjectStore
    {
        public Task PutAsync(string name, string contentType, Stream content, CancellationToken ct) => Task.CompletedTask;
        public Task<StoredFile?> OpenAsync(string name, CancellationToken ct) => Task.FromResult<StoredFile?>(null);
        public Task DeleteAsync(string name, CancellationToken ct) => Task.CompletedTask;
        public Uri? DirectUrl(string name) => new("https://cdn.example.com/" + name);
    }

    [Fact]
    public void The_url_is_the_stores_own_else_the_public_base_else_the_requests_origin()
    {
        var local = new LocalDirectoryStore(Directory.CreateTempSubdirectory("ihui-urls-").FullName);
        Assert.Equal("https://img.example.com/sub/api/v1/images/a.png",
            Urls(local, "https://img.example.com/sub", "ignored:1").For("/api/v1/images/", "a.png").ToString());
        Assert.Equal("https://ihui.local:8443/api/v1/images/a.png", Urls(local, null, "ihui.local:8443").For("/api/v1/images/", "a.png").ToString());
        Assert.Equal("https://cdn.example.com/a.png", Urls(new Direct(), "https://img.example.com").For("/api/v1/images/", "a.png").ToString());
        Assert.Equal("/api/v1/images/a.png", Urls(local, null).For("/api/v1/images/", "a.png").ToString());
    }

    [Fact]
    public void A_public_base_url_that_is_not_http_is_refused_at_start_up()
    {
        foreach (var bad in (string[])["ftp://x.example.com", "not a url", "https://x.example.com/?q=1"])
            Assert.Throws<Ihui.Features.Common.Configuration.InvalidSettingException>(() => StorageOptions.From(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["PUBLIC_BASE_URL"] = bad }).Build()));
    }
}
