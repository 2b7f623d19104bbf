using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.Ark;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Doubao.DoubaoSeedream;

/// <summary>Maps the slice to Seedream's <c>images/generations</c> (§1b).</summary>
public sealed class ArkSeedreamAdapter(ArkClient ark, IConfiguration configuration, CallContext call)
{
    public async Task<SeedreamImages> GenerateAsync(DoubaoSeedreamRequest request, CancellationToken ct)
    {
        call.Vendor = ark.Vendor.Name;
        var model = configuration["DOUBAO_SEEDREAM_MODEL"] is { Length: > 0 } m ? m : SeedreamImages.DefaultModel;
        call.Model = model;
        var body = new JsonObject { ["model"] = model, ["prompt"] = request.Prompt, ["response_format"] = "url", ["watermark"] = false };
        if (request.Images is { Count: > 0 } images)
            body["image"] = images.Count == 1 ? images[0] : new JsonArray(images.Select(i => (JsonNode)JsonValue.Create(i)!).ToArray());
        foreach (var p in request.Zidingyican ?? [])
        {
            if (p.Name is not { } name || SeedreamParams.Convert(p).Value is not { } value) continue;
            if (name == "max_images") body["sequential_image_generation_options"] = new JsonObject { ["max_images"] = value };
            else body[name] = value;
        }
        using var doc = await ark.GenerateImagesAsync(JsonSerializer.SerializeToElement(body), ct);
        return SeedreamImages.From(doc, ark.Vendor.Name);
    }
}
