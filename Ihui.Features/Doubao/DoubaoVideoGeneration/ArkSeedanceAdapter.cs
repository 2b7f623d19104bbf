using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Ark;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Doubao.DoubaoVideoGeneration;

/// <summary>Maps the slice to a Seedance create body (§1c) and the engine's submission.</summary>
public sealed class ArkSeedanceAdapter(IConfiguration configuration, TaskOptions options)
{
    public const string DefaultModel = "doubao-seedance-1-0-pro-250528";

    public TaskSubmission Build(DoubaoVideoGenerationRequest request)
    {
        var content = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = request.Prompt } };
        var images = request.Images ?? [];
        for (var i = 0; i < images.Count; i++)
            content.Add(new JsonObject
            {
                ["type"] = "image_url",
                ["image_url"] = new JsonObject { ["url"] = images[i] },
                ["role"] = i == 0 ? "first_frame" : "last_frame",
            });
        var body = new JsonObject
        {
            ["model"] = configuration["DOUBAO_VIDEO_MODEL"] is { Length: > 0 } m ? m : DefaultModel,
            ["content"] = content,
        };
        foreach (var p in request.Zidingyican ?? [])
            if (p.Name is { } name && SeedanceParams.Known.Contains(name) && SeedanceParams.Convert(p).Value is { } value)
                body[name] = value;

        return new TaskSubmission(ArkSeedanceTaskVendor.KindName, DoubaoVideoGenerationRequest.PriceModel,
            new Usage(0, 0, Seconds: request.Seconds), JsonSerializer.SerializeToElement(body), request.IdempotencyKey, options.Deadline);
    }
}
