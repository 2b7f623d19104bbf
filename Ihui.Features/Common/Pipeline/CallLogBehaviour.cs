using System.Diagnostics;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Telemetry;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Pipeline;

/// <summary>Outermost: times the call and writes one <c>calls</c> row, success or not.</summary>
public sealed class CallLogBehaviour<TMessage, TResponse>(CallContext call, CallLogStore store, TimeProvider clock, IhuiMetrics metrics,
    ILogger<CallLogBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : ILoggedCall, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var recorder = CallRecorder.Start(call, TMessage.Route, message.ChatId, clock);
        try
        {
            var response = await next(message, cancellationToken);
            call.Status = CallStatus.Succeeded;
            return response;
        }
        catch (Exception e) when (CallRecorder.Translate(e) is { } busy)
        {
            CallRecorder.Fail(call, busy, cancellationToken);
            throw busy;
        }
        catch (Exception e)
        {
            CallRecorder.Fail(call, e, cancellationToken);
            throw;
        }
        finally
        {
            recorder.Finish(store, metrics, logger);
        }
    }
}

/// <summary>Shared by the request and stream call-log behaviours.</summary>
public readonly struct CallRecorder
{
    private readonly CallContext _call;
    private readonly long _started;
    private readonly TimeProvider _clock;

    private CallRecorder(CallContext call, TimeProvider clock)
    {
        _call = call;
        _clock = clock;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Seconds since the call started.</summary>
    public double Elapsed => Stopwatch.GetElapsedTime(_started).TotalSeconds;

    public static CallRecorder Start(CallContext call, string route, string? chatId, TimeProvider clock)
    {
        call.Route = route;
        call.ChatId = chatId;
        call.StartedAt = clock.GetUtcNow().UtcDateTime;
        CallContext.Current = call;
        return new CallRecorder(call, clock);
    }

    /// <summary>
    /// A transient database error becomes a 503 (the caller may retry), in every route's and socket's own error shape;
    /// null for any other error. Whatever money the call held has been refunded or settled by then (the ledger retries).
    /// </summary>
    public static ApiException? Translate(Exception e) => Data.DbErrors.IsTransient(e) ? ApiException.DatabaseUnavailable() : null;

    public static void Fail(CallContext call, Exception e, CancellationToken ct)
    {
        (call.Status, call.ErrorCode) = e switch
        {
            ApiException { Status: 408 } => (CallStatus.TimedOut, 408),
            ApiException api => (CallStatus.Failed, api.Status),
            OperationCanceledException when ct.IsCancellationRequested => (CallStatus.Cancelled, 499),
            _ => (CallStatus.Failed, 500),
        };
        call.ErrorMessage = e is ApiException or OperationCanceledException ? Truncate(e.Message) : "internal error";
    }

    /// <summary>Logs the call and hands its row to the call log (written behind the answer).</summary>
    public void Finish(CallLogStore store, IhuiMetrics metrics, ILogger logger)
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var latency = (int)elapsed.TotalMilliseconds;
        var c = _call;
        metrics.Call(c.Route, c.Status, c.ErrorCode ?? (c.Status == CallStatus.Succeeded ? 200 : 500), elapsed.TotalSeconds);
        logger.LogInformation("Call {CallId} {Route} {Vendor}/{Model} {Status} in {LatencyMs} ms, charged {Charged}",
            c.CallId, c.Route, c.Vendor, c.Model, c.Status, latency, c.Charged);
        store.Enqueue(new CallRow
        {
            Id = c.CallId, UserId = c.UserId, ChatId = c.ChatId, Route = c.Route, Vendor = c.Vendor, Model = c.Model,
            Status = c.Status, UsageIn = c.Usage.InputTokens, UsageOut = c.Usage.OutputTokens,
            UsageUnits = c.Usage.Images + c.Usage.Seconds, UsageEstimated = c.Usage.Estimated,
            Reserved = c.Reserved, Charged = c.Charged, LatencyMs = latency, ErrorCode = c.ErrorCode,
            ErrorMessage = c.ErrorMessage, Channels = c.Channels, StartedAt = c.StartedAt, FinishedAt = _clock.GetUtcNow().UtcDateTime,
        });
    }

    private static string Truncate(string s) => s.Length <= 1000 ? s : s[..1000];
}
