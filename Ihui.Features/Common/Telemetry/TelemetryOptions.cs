using Ihui.Features.Common.Configuration;
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
        var path = Setting.Text(c, "METRICS_PATH", "/metrics");
        if (!path.StartsWith('/') || path.Length < 2 || path.Contains('?') || path.Contains('#'))
            throw Setting.Invalid("METRICS_PATH", path, "a path such as /metrics");
        return new TelemetryOptions
        {
            MetricsEndpoint = Setting.Bool(c, "METRICS_ENABLED", false),
            MetricsPath = path.TrimEnd('/'),
            MetricsToken = Setting.Text(c, "METRICS_TOKEN"),
            OtlpEndpoint = Setting.Text(c, "OTEL_EXPORTER_OTLP_ENDPOINT") is { } e ? Setting.Url(c, "OTEL_EXPORTER_OTLP_ENDPOINT", e, "http", "https").ToString() : null,
            ServiceName = Setting.Text(c, "OTEL_SERVICE_NAME", "ihui"),
        };
    }
}
