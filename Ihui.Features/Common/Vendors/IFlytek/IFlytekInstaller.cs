using System.Net;
using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Common.Vendors.IFlytek;

public sealed class IFlytekInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new IFlytekOptions(configuration));
        services.AddSingleton<SparkChatClient>();
        services.AddSingleton<IatClient>();
        services.AddSingleton<OcrClient>();
        var traced = Telemetry.TelemetryOptions.From(configuration).Otlp;
        services.AddHttpClient(OcrClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => CoreServices.VendorHandler(traced))
            // Signed URLs carry the credentials in the query string: this client logs no URIs at all.
            .RemoveAllLoggers();
    }
}
