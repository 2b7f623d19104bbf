using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.Luyala;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Luyala.LuyalaVideoCreate;

/// <summary>
/// Maps the slice to a <c>POST /videos</c> body (OpenAI Videos API): model <c>LUYALA_VIDEO_MODEL</c>, length
/// <c>LUYALA_VIDEO_SECONDS</c> (a string on the wire), size <c>LUYALA_VIDEO_SIZE</c>. The worst case held is the configured seconds.
/// </summary>
public sealed class LuyalaVideoAdapter(LuyalaVideoSettings settings, VendorEndpoints endpoints, TaskOptions options)
{
    public const string DefaultModel = "sora-2";
    public const int DefaultSeconds = 4;
    public const string DefaultSize = "720x1280";

    public int Seconds => settings.Seconds;

    public TaskSubmission Build(LuyalaVideoCreateRequest request)
    {
        // Checked before anything is held: a missing key or base URL is a 503 naming the variable, not a hold and a refund.
        endpoints.Get(KnownVendors.Luyala).RequireKey();
        var seconds = Seconds;
        var body = new JsonObject
        {
            ["model"] = settings.Model,
            ["prompt"] = request.Prompt,
            ["seconds"] = seconds.ToString(CultureInfo.InvariantCulture),
            ["size"] = settings.Size,
        };
        return new TaskSubmission(LuyalaVideoTaskVendor.KindName, LuyalaVideoCreateRequest.PriceModel,
            new Usage(0, 0, Seconds: seconds), JsonSerializer.SerializeToElement(body), request.IdempotencyKey, options.Deadline);
    }
}

/// <summary><c>LUYALA_VIDEO_MODEL</c>, <c>LUYALA_VIDEO_SECONDS</c> (1–600) and <c>LUYALA_VIDEO_SIZE</c>.</summary>
public sealed record LuyalaVideoSettings(string Model, int Seconds, string Size)
{
    public static LuyalaVideoSettings From(IConfiguration c) => new(
        Setting.Text(c, "LUYALA_VIDEO_MODEL", LuyalaVideoAdapter.DefaultModel),
        Setting.Int(c, "LUYALA_VIDEO_SECONDS", LuyalaVideoAdapter.DefaultSeconds, 1, 600),
        Setting.Text(c, "LUYALA_VIDEO_SIZE", LuyalaVideoAdapter.DefaultSize));
}

public sealed class LuyalaVideoInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration) => services.AddSingleton(LuyalaVideoSettings.From(configuration));
}
