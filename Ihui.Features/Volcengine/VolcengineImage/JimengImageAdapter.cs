using System.Text.Json;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors.Jimeng;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Volcengine.VolcengineImage;

/// <summary>
/// Maps the slice to <c>CVProcess</c> with the req_key of <c>VolcengineImageModels:&lt;model&gt;</c>
/// (built in: <c>volcengine-image</c> → <c>jimeng_high_aes_general_v21_L</c>), <c>return_url: true</c>.
/// Images are generated one call at a time; if any call fails the whole request fails and is refunded.
/// </summary>
public sealed class JimengImageAdapter(JimengClient client, IConfiguration configuration, CallContext call)
{
    public const string DefaultReqKey = "jimeng_high_aes_general_v21_L";

    public async Task<IReadOnlyList<string>> GenerateAsync(VolcengineImageRequest request, CancellationToken ct)
    {
        call.Vendor = JimengClient.Definition.Name;
        var reqKey = configuration[$"VolcengineImageModels:{request.EffectiveModel}"] is { Length: > 0 } k ? k
            : request.EffectiveModel == VolcengineImageRequest.DefaultModel ? DefaultReqKey
            : throw ApiException.InvalidModel(request.EffectiveModel);
        var (width, height) = VolcengineImageRequest.ParseSize(request.Size)!.Value;
        var body = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["req_key"] = reqKey,
            ["prompt"] = request.Prompt!,
            ["width"] = width,
            ["height"] = height,
            ["seed"] = -1,
            ["use_pre_llm"] = true,
            ["return_url"] = true,
        });

        var urls = new List<string>(request.EffectiveN);
        for (var i = 0; i < request.EffectiveN; i++)
        {
            var data = await client.ProcessAsync(body, ct);
            var url = data.ImageUrls?.FirstOrDefault(u => u.Length > 0)
                      ?? throw ApiException.VendorError(JimengClient.Definition.Name, "response has no image_urls");
            urls.Add(url);
        }
        return urls;
    }
}
