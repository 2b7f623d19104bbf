using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.Ark;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Doubao.DoubaoImageEdit;

/// <summary>An edit is a Seedream generation with the input image as reference (§1b), one output image.</summary>
public sealed class ArkImageEditAdapter(ArkClient ark, IConfiguration configuration, CallContext call)
{
    public async Task<SeedreamImages> EditAsync(DoubaoImageEditRequest request, CancellationToken ct)
    {
        call.Vendor = ark.Vendor.Name;
        var model = configuration["DOUBAO_SEEDREAM_MODEL"] is { Length: > 0 } m ? m : SeedreamImages.DefaultModel;
        call.Model = model;
        var body = new JsonObject
        {
            ["model"] = model, ["prompt"] = request.Prompt, ["image"] = request.Image, ["response_format"] = "url",
            ["sequential_image_generation"] = "disabled", ["watermark"] = false,
        };
        using var doc = await ark.GenerateImagesAsync(JsonSerializer.SerializeToElement(body), ct);
        return SeedreamImages.From(doc, ark.Vendor.Name);
    }
}
