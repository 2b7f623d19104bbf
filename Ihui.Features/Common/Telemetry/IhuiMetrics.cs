using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ihui.Features.Common.Telemetry;

/// <summary>
/// Ihui's own instruments (meter <c>Ihui</c>) and its <see cref="ActivitySource"/>. One per host: the meter comes from
/// the host's <see cref="IMeterFactory"/>, so two hosts in one process (tests) never count each other's calls.
/// Recording is cheap when nothing listens (metrics and OTLP off): each instrument checks <c>Enabled</c> first.
/// </summary>
public sealed class IhuiMetrics
{
    public const string MeterName = "Ihui";
    public const string ActivitySourceName = "Ihui";

    /// <summary>Spans for the call, its billing stages and each vendor try; free when no tracer listens.</summary>
    public static readonly ActivitySource Activities = new(ActivitySourceName);

    // Seconds. Calls and vendor answers: 1 ms .. 2 min; billing stages: 50 us .. 1 s.
    private static readonly double[] CallBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
    private static readonly double[] StageBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _vendorDuration;
    private readonly Counter<long> _vendorErrors;
    private readonly Histogram<double> _billingStage;
    private readonly Counter<long> _tokensCharged;
    private readonly Histogram<double> _firstChunk;
    private readonly UpDownCounter<long> _webSockets;

    public Meter Meter { get; }

    public IhuiMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _calls = Meter.CreateCounter<long>("ihui.calls", "{call}", "Calls through the pipeline, by route, outcome and status code");
        _callDuration = Meter.CreateHistogram("ihui.call.duration", "s", "Duration of a call through the pipeline, by route, outcome and status code",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        _vendorDuration = Meter.CreateHistogram("ihui.vendor.duration", "s",
            "Time from sending a vendor request to its response headers, by vendor, channel and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        _vendorErrors = Meter.CreateCounter<long>("ihui.vendor.errors", "{error}", "Failed vendor requests, by vendor, channel and kind");
        _billingStage = Meter.CreateHistogram("ihui.billing.stage.duration", "s", "Duration of each billing stage (reserve, settle, refund)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StageBuckets });
        _tokensCharged = Meter.CreateCounter<long>("ihui.tokens.charged", "{token}", "Platform tokens charged, by price model");
        _firstChunk = Meter.CreateHistogram("ihui.stream.time_to_first_chunk", "s",
            "Time from a stream's admission to its first chunk (for chat streams, the first text), by route",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        _webSockets = Meter.CreateUpDownCounter<long>("ihui.websockets.open", "{socket}", "WebSocket connections open now, by route");
    }

    public void Call(string route, string outcome, int code, double seconds)
    {
        if (!_calls.Enabled && !_callDuration.Enabled) return;
        var tags = new TagList { { "route", route }, { "outcome", outcome }, { "code", StatusCodes.Text(code) } };
        _calls.Add(1, tags);
        _callDuration.Record(seconds, tags);
    }

    public void VendorResponse(string vendor, string channel, string outcome, double seconds)
    {
        if (_vendorDuration.Enabled)
            _vendorDuration.Record(seconds, new TagList { { "vendor", vendor }, { "channel", channel }, { "outcome", outcome } });
    }

    public void VendorError(string vendor, string channel, string kind)
    {
        if (_vendorErrors.Enabled)
            _vendorErrors.Add(1, new TagList { { "vendor", vendor }, { "channel", channel }, { "kind", kind } });
    }

    public void BillingStage(string stage, long startedTimestamp)
    {
        if (_billingStage.Enabled)
            _billingStage.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("stage", stage));
    }

    public void TokensCharged(string model, long tokens)
    {
        if (tokens > 0 && _tokensCharged.Enabled) _tokensCharged.Add(tokens, new KeyValuePair<string, object?>("model", model));
    }

    public void FirstChunk(string route, double seconds)
    {
        if (_firstChunk.Enabled) _firstChunk.Record(seconds, new KeyValuePair<string, object?>("route", route));
    }

    public void WebSocketOpened(string route) => _webSockets.Add(1, new KeyValuePair<string, object?>("route", route));
    public void WebSocketClosed(string route) => _webSockets.Add(-1, new KeyValuePair<string, object?>("route", route));

    /// <summary>Status codes as tag text without a string per call.</summary>
    private static class StatusCodes
    {
        private static readonly string[] Known = Enumerable.Range(0, 600).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        public static string Text(int code) => (uint)code < Known.Length ? Known[code] : code.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Billing stage names, as they appear in <c>ihui.billing.stage.duration</c>.</summary>
public static class BillingStages
{
    public const string Reserve = "reserve";
    public const string Settle = "settle";
    public const string Refund = "refund";
    public const string TaskReserve = "task_reserve";
    public const string TaskFinish = "task_finish";
}
