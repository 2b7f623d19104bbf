using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.DashScope;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.DashScope.DashScopeVideoSynthesis;

/// <summary>Maps a frame to DashScope's async video synthesis (§3e); billed per second of video.</summary>
public sealed class DashScopeVideoSynthesisAdapter(IConfiguration configuration, TaskOptions options)
{
    public const string Path = "api/v1/services/aigc/video-generation/video-synthesis";
    public const string PriceModel = "wan-video";

    public TaskSubmission Build(DashScopeVideoSynthesisRequest request)
    {
        var input = new JsonObject { ["prompt"] = request.Prompt };
        if (!string.IsNullOrEmpty(request.NegativePrompt)) input["negative_prompt"] = request.NegativePrompt;
        var body = new JsonObject
        {
            ["model"] = configuration["DASHSCOPE_VIDEO_MODEL"] is { Length: > 0 } m ? m : DashScopeVideoSynthesisRequest.DefaultModel,
            ["input"] = input,
            ["parameters"] = new JsonObject
            {
                ["size"] = request.Size ?? DashScopeVideoSynthesisRequest.Sizes[0], ["duration"] = request.Seconds, ["prompt_extend"] = true,
            },
        };
        return new TaskSubmission(DashScopeTaskVendor.KindName, PriceModel, new Usage(0, 0, Seconds: request.Seconds),
            JsonSerializer.SerializeToElement(new DashScopeTaskPayload(Path, JsonSerializer.SerializeToElement(body))), null, options.Deadline);
    }
}
