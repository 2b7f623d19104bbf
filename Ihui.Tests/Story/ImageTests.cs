using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Story;

/// <summary>Uploads decided by their bytes, capped at 10 MB before anything is stored, served without sign-in.</summary>
public sealed class ImageTests(StoryApp app) : IClassFixture<StoryApp>
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 2, 3];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
    private static readonly byte[] Gif = "GIF89a\x01\x00\x01\x00\x80\x00\x00"u8.ToArray();
    private static readonly byte[] Webp = [.. "RIFF"u8, 0x24, 0, 0, 0, .. "WEBPVP8 "u8, 0, 0, 0, 0];

    private static MultipartFormDataContent Form(byte[] bytes, string fileName, string contentType, string field = "file")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    private int StoredFiles() => Directory.GetFiles(app.StorageDir).Length;

    [Fact]
    public async Task Each_format_is_stored_under_a_random_name_and_served_without_a_token_with_its_type_and_cache_headers()
    {
        var w = await app.NewWalletAsync();
        var anonymous = app.CreateClient();
        var names = new HashSet<string>();
        foreach (var (bytes, ext, mime, claimed) in new[]
                 {
                     (Jpeg, "jpg", "image/jpeg", "photo.jpg"), (Png, "png", "image/png", "x.gif"), (Gif, "gif", "image/gif", "noext"),
                     (Webp, "webp", "image/webp", "a.webp"),
                 })
        {
            // The declared type and name say nothing: the bytes decide (a PNG named x.gif, sent as octet-stream, is a PNG).
            var r = await w.Http.PostAsync("/api/v1/images/upload", Form(bytes, claimed, "application/octet-stream"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var body = await IhuiApp.JsonAsync(r);
            var filename = body.GetProperty("filename").GetString()!;
            Assert.Matches($"^[0-9a-f]{{32}}\\.{ext}$", filename);
            Assert.True(names.Add(filename));
            Assert.Equal($"https://cdn.story.example.com/api/v1/images/{filename}", body.GetProperty("url").GetString());

            var served = await anonymous.GetAsync($"/api/v1/images/{filename}");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(mime, served.Content.Headers.ContentType?.MediaType);
            Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync());
            Assert.True(served.Headers.CacheControl?.Public);
            Assert.Equal(TimeSpan.FromDays(365), served.Headers.CacheControl?.MaxAge);
            Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task A_disguised_file_is_refused_and_nothing_is_stored()
    {
        var w = await app.NewWalletAsync();
        var before = StoredFiles();
        foreach (var (bytes, name) in new[]
                 {
                     (Encoding.UTF8.GetBytes("<script>alert(1)</script>"), "x.jpg"), (Encoding.UTF8.GetBytes("#!/bin/sh\nrm -rf /"), "run.png"),
                     ("%PDF-1.7"u8.ToArray(), "doc.gif"), ([0xFF, 0xD8], "short.jpg"), ("RIFF\0\0\0\0WAVEfmt "u8.ToArray(), "sound.webp"), ([], "empty.png"),
                 })
        {
            var r = await w.Http.PostAsync("/api/v1/images/upload", Form(bytes, name, "image/jpeg"));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains("Unsupported file type", (await IhuiApp.JsonAsync(r)).GetProperty("detail").GetString());
        }
        Assert.Equal(before, StoredFiles());

        // No file part: FastAPI's 422 for the missing field.
        var missing = await w.Http.PostAsync("/api/v1/images/upload", Form(Jpeg, "a.jpg", "image/jpeg", field: "image"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal("file", (await IhuiApp.JsonAsync(missing)).GetProperty("detail")[0].GetProperty("loc")[1].GetString());
        var broken = new StringContent("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\xFF\xD8\xFF", Encoding.Latin1);
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        Assert.Equal(HttpStatusCode.BadRequest, (await w.Http.PostAsync("/api/v1/images/upload", broken)).StatusCode);
    }

    [Fact]
    public async Task Ten_megabytes_are_accepted_and_one_byte_more_is_a_413_before_anything_is_stored()
    {
        var w = await app.NewWalletAsync();
        var exactly = new byte[10 * 1024 * 1024];
        Jpeg.CopyTo(exactly, 0);
        var ok = await w.Http.PostAsync("/api/v1/images/upload", Form(exactly, "big.jpg", "image/jpeg"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var before = StoredFiles();
        var tooBig = new byte[10 * 1024 * 1024 + 1];
        Jpeg.CopyTo(tooBig, 0);
        var refused = await w.Http.PostAsync("/api/v1/images/upload", Form(tooBig, "big.jpg", "image/jpeg"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("10 MB", (await IhuiApp.JsonAsync(refused)).GetProperty("detail").GetString());
        Assert.Equal(before, StoredFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(app.StorageDir, ".tmp")));

        // Far over the limit: refused from the declared length, the body is not read.
        var huge = await w.Http.PostAsync("/api/v1/images/upload", Form(new byte[11 * 1024 * 1024], "huge.jpg", "image/jpeg"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task Traversal_and_unknown_names_are_404()
    {
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(app.StorageDir)!, "ihui-secret.txt"), "secret");
        var anonymous = app.CreateClient();
        foreach (var path in (string[])["..%2Fihui-secret.txt", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", ".meta", "..", "0123456789abcdef0123456789abcdef.png",
                     "%2e%2e%2fihui-secret.txt"])
        {
            var r = await anonymous.GetAsync("/api/v1/images/" + path);
            Assert.True(r.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)r.StatusCode}");
            Assert.DoesNotContain("secret", await r.Content.ReadAsStringAsync());
        }
    }
}
