using System.Security.Cryptography;
using System.Text;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ihui.Features.Common.Telemetry;

public static class TelemetrySetup
{
    /// <summary>Ihui's instruments always; the OpenTelemetry providers only when an exporter is configured.</summary>
    public static IServiceCollection AddIhuiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = TelemetryOptions.From(configuration);
        services.AddSingleton(options);
        services.AddSingleton<IhuiMetrics>();
        if (!options.AnyExporter) return services;

        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(options.ServiceName));
        otel.WithMetrics(m =>
        {
            m.AddMeter(IhuiMetrics.MeterName, "System.Runtime")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation();
            // A scrape sees the calls made just before it (the exporter's default caches the answer for 300 ms).
            if (options.MetricsEndpoint) m.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            if (options.Otlp) m.AddOtlpExporter();
        });
        // Spans cost on every request, so they are collected only when something receives them.
        if (options.Otlp)
            otel.WithTracing(t => t
                .AddSource(IhuiMetrics.ActivitySourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return services;
    }

    /// <summary>Counts open WebSockets and, when configured, serves the Prometheus scrape endpoint.</summary>
    public static WebApplication UseIhuiTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<TelemetryOptions>();
        var metrics = app.Services.GetRequiredService<IhuiMetrics>();
        app.Use((context, next) =>
        {
            var feature = context.Features.Get<IHttpWebSocketFeature>();
            if (feature is not { IsWebSocketRequest: true }) return next(context);
            var counted = new CountedWebSocketFeature(feature, metrics, RouteOf(context));
            context.Features.Set<IHttpWebSocketFeature>(counted);
            return counted.RunAsync(next, context);
        });
        if (options.MetricsEndpoint)
            app.MapPrometheusScrapingEndpoint(options.MetricsPath, meterProvider: null,
                configureBranchedPipeline: branch => branch.Use((context, next) => Authorized(context, options.MetricsToken)
                    ? next(context)
                    : Unauthorized(context)), optionsName: null);
        return app;
    }

    private static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } route ? "/" + route.TrimStart('/') : "unmatched";

    private static bool Authorized(HttpContext context, string? token)
    {
        if (token is null) return true;
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(token));
    }

    private static Task Unauthorized(HttpContext context)
    {
        context.Response.StatusCode = 401;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsJsonAsync(new ErrorEnvelope(401, "metrics require Authorization: Bearer <METRICS_TOKEN>"));
    }

    /// <summary>Counts a socket from its accept until its request ends.</summary>
    private sealed class CountedWebSocketFeature(IHttpWebSocketFeature inner, IhuiMetrics metrics, string route) : IHttpWebSocketFeature
    {
        private bool _accepted;

        public bool IsWebSocketRequest => inner.IsWebSocketRequest;

        public async Task<System.Net.WebSockets.WebSocket> AcceptAsync(WebSocketAcceptContext context)
        {
            var socket = await inner.AcceptAsync(context);
            if (!_accepted)
            {
                _accepted = true;
                metrics.WebSocketOpened(route);
            }
            return socket;
        }

        public async Task RunAsync(RequestDelegate next, HttpContext context)
        {
            try
            {
                await next(context);
            }
            finally
            {
                if (_accepted) metrics.WebSocketClosed(route);
            }
        }
    }
}
