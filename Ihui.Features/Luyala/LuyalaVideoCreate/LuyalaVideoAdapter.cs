using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.Luyala;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Luyala.LuyalaVideoCreate;

/// <summary>
/// Maps the slice to a <c>POST /videos</c> body (OpenAI Videos API): model <c>LUYALA_VIDEO_MODEL</c>, length
/// <c>LUYALA_VIDEO_SECONDS</c> (a string on the wire), size <c>LUYALA_VIDEO_SIZE</c>. The worst case held is the configured seconds.
/// </summary>
public sealed class LuyalaVideoAdapter(IConfiguration configuration, VendorEndpoints endpoints, TaskOptions options)
{
    public const string DefaultModel = "sora-2";
    public const int DefaultSeconds = 4;
    public const string DefaultSize = "720x1280";

    public int Seconds => int.TryParse(configuration["LUYALA_VIDEO_SECONDS"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 600
        ? s
        : DefaultSeconds;

    public TaskSubmission Build(LuyalaVideoCreateRequest request)
    {
        // Checked before anything is held: a missing key or base URL is a 503 naming the variable, not a hold and a refund.
        endpoints.Get(KnownVendors.Luyala).RequireKey();
        var seconds = Seconds;
        var body = new JsonObject
        {
            ["model"] = configuration["LUYALA_VIDEO_MODEL"] is { Length: > 0 } m ? m : DefaultModel,
            ["prompt"] = request.Prompt,
            ["seconds"] = seconds.ToString(CultureInfo.InvariantCulture),
            ["size"] = configuration["LUYALA_VIDEO_SIZE"] is { Length: > 0 } size ? size : DefaultSize,
        };
        return new TaskSubmission(LuyalaVideoTaskVendor.KindName, LuyalaVideoCreateRequest.PriceModel,
            new Usage(0, 0, Seconds: seconds), JsonSerializer.SerializeToElement(body), request.IdempotencyKey, options.Deadline);
    }
}
