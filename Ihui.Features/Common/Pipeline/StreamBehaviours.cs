using System.Runtime.CompilerServices;
using System.Text;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Telemetry;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Pipeline;

// The stream counterparts of the request behaviours, in the same order. Work in an async iterator runs at the
// first MoveNextAsync, so a consumer that awaits the first chunk before writing anything gets auth, validation
// and reservation failures as real errors, before a byte of the response is sent.

public sealed class CallLogStreamBehaviour<TMessage, TChunk>(CallContext call, CallLogStore store, TimeProvider clock, IhuiMetrics metrics,
    ILogger<CallLogStreamBehaviour<TMessage, TChunk>> logger) : IStreamPipelineBehavior<TMessage, TChunk>
    where TMessage : ILoggedCall, IStreamMessage
{
    public async IAsyncEnumerable<TChunk> Handle(TMessage message, StreamHandlerDelegate<TMessage, TChunk> next,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var recorder = CallRecorder.Start(call, TMessage.Route, message.ChatId, clock);
        var completed = false;
        var first = true;
        try
        {
            await foreach (var chunk in Guarded(next(message, cancellationToken), e => CallRecorder.Fail(call, e, cancellationToken)))
            {
                if (first)
                {
                    first = false;
                    metrics.FirstChunk(TMessage.Route, recorder.Elapsed);
                }
                yield return chunk;
            }
            completed = true;
            call.Status = CallStatus.Succeeded;
        }
        finally
        {
            // A consumer that stops enumerating early (client went away) ends the call as cancelled.
            if (!completed && call.Status == CallStatus.Running)
            {
                call.Status = CallStatus.Cancelled;
                call.ErrorCode ??= 499;
            }
            recorder.Finish(store, metrics, logger);
        }
    }

    private static async IAsyncEnumerable<TChunk> Guarded(IAsyncEnumerable<TChunk> source, Action<Exception> onError)
    {
        await using var e = source.GetAsyncEnumerator();
        while (true)
        {
            try
            {
                if (!await e.MoveNextAsync()) yield break;
            }
            catch (Exception ex) when (CallRecorder.Translate(ex) is { } busy)
            {
                onError(busy);
                throw busy;
            }
            catch (Exception ex)
            {
                onError(ex);
                throw;
            }
            yield return e.Current;
        }
    }
}

public sealed class AuthStreamBehaviour<TMessage, TChunk>(Authenticator authenticator) : IStreamPipelineBehavior<TMessage, TChunk>
    where TMessage : IAuthenticatedRequest, IStreamMessage
{
    public async IAsyncEnumerable<TChunk> Handle(TMessage message, StreamHandlerDelegate<TMessage, TChunk> next,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await authenticator.AuthenticateAsync(message.Credential, cancellationToken);
        await foreach (var chunk in next(message, cancellationToken).WithCancellation(cancellationToken))
            yield return chunk;
    }
}

public sealed class ValidationStreamBehaviour<TMessage, TChunk>(IEnumerable<IValidator<TMessage>> validators)
    : IStreamPipelineBehavior<TMessage, TChunk>
    where TMessage : IStreamMessage
{
    private readonly IValidator<TMessage>[] _validators = validators as IValidator<TMessage>[] ?? validators.ToArray();

    public async IAsyncEnumerable<TChunk> Handle(TMessage message, StreamHandlerDelegate<TMessage, TChunk> next,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Validation.ThrowIfInvalidAsync(_validators, message, cancellationToken);
        await foreach (var chunk in next(message, cancellationToken).WithCancellation(cancellationToken))
            yield return chunk;
    }
}

/// <summary>
/// Reserve before the first chunk; settle the vendor's reported usage when the stream completes and append the
/// receipt chunk. If the stream fails or the consumer goes away, charge what was delivered (input + output counted
/// with <see cref="TokenCounter"/>, marked estimated) or, when nothing was delivered, refund the hold in full.
/// </summary>
public sealed class BillingStreamBehaviour<TMessage, TChunk>(Biller biller) : IStreamPipelineBehavior<TMessage, TChunk>
    where TMessage : IBillable, IStreamMessage
    where TChunk : IBilledChunk<TChunk>
{
    public async IAsyncEnumerable<TChunk> Handle(TMessage message, StreamHandlerDelegate<TMessage, TChunk> next,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var estimate = message.EstimateUsage();
        var hold = await biller.ReserveAsync(message.PriceModel, estimate, cancellationToken);
        Usage? reported = null;
        var delivered = new StringBuilder();
        var settled = false;
        try
        {
            await using var renewal = biller.KeepAlive(hold);
            await using var e = next(message, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (await e.MoveNextAsync())
            {
                var chunk = e.Current;
                if (chunk.Usage is { } u) reported = u;
                if (chunk.DeliveredText is { Length: > 0 } text) delivered.Append(text);
                yield return chunk;
            }
            var usage = reported ?? Counted();
            var receipt = await biller.SettleAsync(hold, usage);
            settled = true;
            yield return TChunk.Settled(receipt, usage);
        }
        finally
        {
            // Reached without settling on a vendor error, a cancellation or an abandoned enumeration.
            if (!settled)
            {
                if (delivered.Length == 0 && reported is null) await biller.RefundAsync(hold);
                else await biller.SettleAsync(hold, reported ?? Counted());
            }
        }

        Usage Counted() => estimate with { OutputTokens = TokenCounter.Count(delivered.ToString()), Estimated = true };
    }
}
