using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Telemetry;

/// <summary>
/// <c>METRICS_ENABLED</c> serves <c>/metrics</c> (Prometheus text); <c>METRICS_TOKEN</c>, when set, makes it answer only
/// to <c>Authorization: Bearer &lt;token&gt;</c>. <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> turns on OTLP export of metrics
/// and traces (the exporter reads the other standard <c>OTEL_EXPORTER_OTLP_*</c> variables itself).
/// With none of them set, no OpenTelemetry provider is built and nothing listens to the instruments.
/// </summary>
public sealed record TelemetryOptions
{
    public bool MetricsEndpoint { get; init; }
    public string MetricsPath { get; init; } = "/metrics";
    public string? MetricsToken { get; init; }
    public string? OtlpEndpoint { get; init; }
    public string ServiceName { get; init; } = "ihui";

    public bool Otlp => OtlpEndpoint is not null;
    public bool AnyExporter => MetricsEndpoint || Otlp;

    public static TelemetryOptions From(IConfiguration c)
    {
        var path = c["METRICS_PATH"] is { Length: > 1 } p && p.StartsWith('/') ? p.TrimEnd('/') : "/metrics";
        return new TelemetryOptions
        {
            MetricsEndpoint = bool.TryParse(c["METRICS_ENABLED"], out var on) && on,
            MetricsPath = path,
            MetricsToken = c["METRICS_TOKEN"] is { Length: > 0 } t ? t : null,
            OtlpEndpoint = c["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } e ? e : null,
            ServiceName = c["OTEL_SERVICE_NAME"] is { Length: > 0 } n ? n : "ihui",
        };
    }
}
