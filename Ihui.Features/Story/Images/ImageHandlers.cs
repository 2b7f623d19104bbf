using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Storage;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Ihui.Features.Story.Images;

/// <summary>
/// Reads the <c>file</c> part, at most 10 MB (413 past that, before anything is stored); decides its type by its first
/// bytes (JPEG, PNG, GIF, WebP; anything else is refused, whatever its name or declared type) and stores it under a
/// random name.
/// </summary>
public sealed class UploadImageHandler(ImageFiles images) : IRequestHandler<UploadImageRequest, UploadedImage>
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public async ValueTask<UploadedImage> Handle(UploadImageRequest r, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(r.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            throw MissingFile();
        var reader = new MultipartReader(boundary, r.Body);
        MultipartSection? section;
        try
        {
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition() || HeaderUtilities.RemoveQuotes(disposition.Name).Value != "file")
                    continue;
                using var content = await ReadCappedAsync(section.Body, ct);
                var name = await images.SaveAsync(content, ct)
                    ?? throw ApiException.BadRequest("Unsupported file type: upload a JPEG, PNG, GIF or WebP image");
                return new UploadedImage(images.UrlFor(ImagesEndpoint.RoutePrefix, name).ToString(), name);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            // Broken multipart framing (no closing boundary, oversized headers, the body ends mid-part).
            throw ApiException.BadRequest("Malformed multipart/form-data body");
        }
        throw MissingFile();
    }

    private static async Task<MemoryStream> ReadCappedAsync(Stream body, CancellationToken ct)
    {
        var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (copy.Length + read > MaxBytes) throw ApiException.TooLarge("File too large: at most 10 MB");
            copy.Write(buffer, 0, read);
        }
        return copy;
    }

    private static ValidationFailedException MissingFile() =>
        new([new FieldError("file", "Field required") { Type = "missing" }]);
}

public sealed class GetImageHandler(IObjectStore store) : IRequestHandler<GetImageRequest, StoredFile>
{
    public async ValueTask<StoredFile> Handle(GetImageRequest r, CancellationToken ct) =>
        await store.OpenAsync(r.Filename, ct) ?? throw ApiException.NotFound("Image not found");
}
