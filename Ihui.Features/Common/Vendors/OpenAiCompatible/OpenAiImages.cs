using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Models;
using Ihui.Features.Common.Storage;
using Ihui.Features.Common.Tasks;

namespace Ihui.Features.Common.Vendors.OpenAiCompatible;

/// <summary>One text-to-image request: the vendor and its model id, OpenAI's size form, and where the copies are served.</summary>
/// <param name="FilesRoute">Ihui's route serving the copies (e.g. <c>/api/v1/images/</c>)</param>
/// <param name="Origin">the origin the caller reached Ihui on, for the copies' URLs when <c>PUBLIC_BASE_URL</c> is not set</param>
public sealed record ImageJob(string Vendor, string Model, string Prompt, string Size, int Count, string FilesRoute, string? Origin);

/// <summary>
/// Draws with a t2i vendor speaking OpenAI's images API and copies every image into Ihui's image store at once: vendor
/// URLs expire (302.AI's after 24 hours), so callers are only ever given Ihui's own URLs.
/// </summary>
public sealed class OpenAiImageGenerator(OpenAiCompatibleClient client, ImageFiles files, IHttpClientFactory httpClients)
{
    /// <summary>The vendors whose t2i models Ihui can draw with.</summary>
    public static readonly IReadOnlyList<VendorDefinition> Vendors = [KnownVendors.Ai302];

    public const long MaxImageBytes = 20 * 1024 * 1024;
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(60);

    public static bool Serves(CatalogModel model) => model.Type == ModelTypes.TextToImage && Vendors.Any(v => v.Name == model.Vendor);

    /// <returns>Ihui's URLs of the stored copies, in the vendor's order.</returns>
    public async Task<IReadOnlyList<string>> DrawAsync(ImageJob job, CancellationToken ct)
    {
        var vendor = Vendors.FirstOrDefault(v => v.Name == job.Vendor)
                     ?? throw new ApiException(503, "vendor_not_configured", $"vendor '{job.Vendor}' does not draw images here");
        var generated = await client.GenerateImagesAsync(vendor,
            new ImageGenerationRequest { Model = job.Model, Prompt = job.Prompt, N = job.Count, Size = job.Size.Replace('*', 'x') }, ct);
        var origin = job.Origin is { } o && Uri.TryCreate(o, UriKind.Absolute, out var u) ? u : null;
        var urls = new List<string>();
        foreach (var image in generated.Data!)
        {
            using var bytes = image!.B64Json is { } b64 ? Decode(vendor, b64) : await FetchAsync(vendor, image.Url!, ct);
            var name = await files.SaveAsync(bytes, ct) ?? throw ApiException.VendorError(vendor.Name, "a generated image is not a JPEG, PNG, GIF or WebP file");
            urls.Add(files.UrlFor(job.FilesRoute, name, origin).ToString());
        }
        return urls;
    }

    private static MemoryStream Decode(VendorDefinition vendor, string b64)
    {
        try
        {
            var bytes = Convert.FromBase64String(b64);
            return new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
        }
        catch (FormatException)
        {
            throw ApiException.VendorError(vendor.Name, "a generated image's base64 is malformed");
        }
    }

    private async Task<MemoryStream> FetchAsync(VendorDefinition vendor, string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw ApiException.VendorError(vendor.Name, "a generated image has no usable URL");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(FetchTimeout);
        try
        {
            using var response = await httpClients.CreateClient(vendor.HttpClientName).GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw ApiException.VendorError(vendor.Name, $"fetching a generated image answered HTTP {(int)response.StatusCode}");
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, timeout.Token)) > 0)
            {
                if (copy.Length + read > MaxImageBytes) throw ApiException.VendorError(vendor.Name, "a generated image is larger than 20 MB");
                copy.Write(buffer, 0, read);
            }
            return copy;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw ApiException.VendorError(vendor.Name, "a generated image could not be fetched");
        }
    }
}

/// <summary>
/// Text to image on the task engine (kind <c>openai.images</c>). OpenAI's images API answers with the images, so there
/// is no vendor task to create: the submit only records the job, and the poller's first pass draws and stores it. A
/// vendor refusing the request (400) fails the task at once; other failures are polled again and, past
/// <c>TASK_MAX_POLL_ERRORS</c>, fail it. Either way the engine refunds the hold.
/// </summary>
public sealed class OpenAiImageTaskVendor(OpenAiImageGenerator generator) : ITaskVendor
{
    public const string KindName = "openai.images";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Kind => KindName;

    public static JsonElement Payload(ImageJob job) => JsonSerializer.SerializeToElement(job, Json);

    /// <summary>No vendor task and so no channel to remember: the drawing is routed over the vendor's channels when polled.</summary>
    public Task<VendorTaskRef> SubmitAsync(JsonElement payload, CancellationToken ct) =>
        Task.FromResult(new VendorTaskRef("draw_" + Guid.CreateVersion7().ToString("N"), null));

    public async Task<VendorTaskSnapshot> PollAsync(VendorTaskRef task, JsonElement payload, CancellationToken ct)
    {
        var job = payload.Deserialize<ImageJob>(Json) ?? throw new InvalidOperationException("empty image job");
        try
        {
            var urls = await generator.DrawAsync(job, ct);
            return new VendorTaskSnapshot(TaskState.Succeeded, 100, urls, new Usage(0, 0, Images: urls.Count));
        }
        catch (ApiException e) when (e.Status == 400)
        {
            return new VendorTaskSnapshot(TaskState.Failed, Error: e.Message);
        }
    }
}
