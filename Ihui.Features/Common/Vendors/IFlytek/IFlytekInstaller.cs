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
        services.AddHttpClient(OcrClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => CoreServices.VendorHandler(sp.GetRequiredService<Telemetry.TelemetryOptions>().Otlp))
            // Signed URLs carry the credentials in the query string: this client logs no URIs at all.
            .RemoveAllLoggers();
    }
}
