using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.Ark;

/// <summary>What Seedream returned: the image URLs and the usage it bills on (<c>usage.generated_images</c>).</summary>
public sealed record SeedreamImages(IReadOnlyList<string> Urls, Usage Usage)
{
    public const string PriceModel = "doubao-seedream";
    public const string DefaultModel = "doubao-seedream-4-0-250828";

    /// <summary>Reads §1b's response; an answer without images is a vendor error (refunded by the billing behaviour).</summary>
    public static SeedreamImages From(JsonDocument doc, string vendor)
    {
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            throw ApiException.VendorError(vendor, error.TryGetProperty("message", out var m) ? m.GetString() ?? "error" : "error");
        var urls = new List<string>();
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            foreach (var item in data.EnumerateArray())
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String)
                    urls.Add(u.GetString()!);
        if (urls.Count == 0) throw ApiException.VendorError(vendor, "no image in the response");
        var generated = root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
                        && usage.TryGetProperty("generated_images", out var g) && g.TryGetInt64(out var n) ? n : urls.Count;
        return new SeedreamImages(urls, new Usage(0, 0, Images: generated));
    }
}
