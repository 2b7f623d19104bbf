using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.DashScope;

namespace Ihui.Features.DashScope.DashScopeImageToImage;

/// <summary>Maps the slice to DashScope's async image-to-image synthesis (§3d, wan models), billed per <c>usage.image_count</c>.</summary>
public sealed class DashScopeImageToImageAdapter(TaskOptions options)
{
    public const string Path = "api/v1/services/aigc/image2image/image-synthesis";

    public TaskSubmission Build(DashScopeImageToImageRequest request)
    {
        var input = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["images"] = new JsonArray(request.Images!.Select(i => (JsonNode)JsonValue.Create(i.ImgUrl)!).ToArray()),
        };
        var parameters = new JsonObject { ["n"] = request.Count };
        foreach (var p in request.Zidingyican ?? [])
            switch (p.Name)
            {
                case "seed": parameters["seed"] = p.AsLong; break;
                case "watermark": parameters["watermark"] = p.AsBool; break;
                case "negative_prompt": input["negative_prompt"] = p.Text; break;
            }
        var body = new JsonObject { ["model"] = DashScopeImageToImageRequest.Model, ["input"] = input, ["parameters"] = parameters };
        return new TaskSubmission(DashScopeTaskVendor.KindName, DashScopeImageToImageRequest.Model, new Usage(0, 0, Images: request.Count),
            JsonSerializer.SerializeToElement(new DashScopeTaskPayload(Path, JsonSerializer.SerializeToElement(body))), request.IdempotencyKey, options.Deadline);
    }
}
