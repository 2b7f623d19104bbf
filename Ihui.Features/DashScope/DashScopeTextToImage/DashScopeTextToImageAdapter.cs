using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.DashScope;

namespace Ihui.Features.DashScope.DashScopeTextToImage;

/// <summary>Maps the slice to DashScope's async text-to-image (§3c), billed per <c>usage.image_count</c>.</summary>
public sealed class DashScopeTextToImageAdapter(TaskOptions options)
{
    public const string Path = "api/v1/services/aigc/text2image/image-synthesis";

    public TaskSubmission Build(DashScopeTextToImageRequest request)
    {
        var input = new JsonObject { ["prompt"] = request.Prompt };
        if (!string.IsNullOrEmpty(request.NegativePrompt)) input["negative_prompt"] = request.NegativePrompt;
        var parameters = new JsonObject { ["size"] = request.EffectiveSize, ["n"] = request.Count };
        if (request.PromptExtend is { } extend) parameters["prompt_extend"] = extend;
        if (request.Watermark is { } watermark) parameters["watermark"] = watermark;
        if (request.Seed is { } seed) parameters["seed"] = seed;
        var body = new JsonObject { ["model"] = request.EffectiveModel, ["input"] = input, ["parameters"] = parameters };
        var payload = new DashScopeTaskPayload(Path, JsonSerializer.SerializeToElement(body));
        return new TaskSubmission(DashScopeTaskVendor.KindName, request.EffectiveModel, new Usage(0, 0, Images: request.Count),
            JsonSerializer.SerializeToElement(payload), request.IdempotencyKey, options.Deadline);
    }
}
