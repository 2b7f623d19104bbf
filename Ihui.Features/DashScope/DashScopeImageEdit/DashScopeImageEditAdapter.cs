using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors.DashScope;

namespace Ihui.Features.DashScope.DashScopeImageEdit;

/// <summary>Maps the slice to the synchronous multimodal generation with an image and a text item (§3d).</summary>
public sealed class DashScopeImageEditAdapter(DashScopeClient client, CallContext call)
{
    public async Task<(string Url, Usage Usage)> EditAsync(DashScopeImageEditRequest request, CancellationToken ct)
    {
        call.Vendor = client.Vendor.Name;
        var parameters = new JsonObject { ["n"] = 1, ["watermark"] = false };
        if (!string.IsNullOrEmpty(request.NegativePrompt)) parameters["negative_prompt"] = request.NegativePrompt;
        var body = new JsonObject
        {
            ["model"] = request.EffectiveModel,
            ["input"] = new JsonObject
            {
                ["messages"] = new JsonArray(new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray(new JsonObject { ["image"] = request.ImageUrl }, new JsonObject { ["text"] = request.Prompt }),
                }),
            },
            ["parameters"] = parameters,
        };
        using var doc = await client.GenerateAsync(JsonSerializer.SerializeToElement(body), ct);
        var answer = MultimodalAnswer.From(doc, client.Vendor.Name);
        var url = answer.Strings("image").FirstOrDefault() ?? throw ApiException.VendorError(client.Vendor.Name, "no image in the response");
        return (url, new Usage(0, 0, Images: answer.UsageNumber("image_count") ?? 1));
    }
}
