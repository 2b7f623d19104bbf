using System.Runtime.CompilerServices;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Common.Limits;

/// <summary>After auth: one request counted against the caller's window; over the limit → 429 with Retry-After.</summary>
public sealed class RateLimitBehaviour<TMessage, TResponse>(RateLimiter limiter)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IUserRateLimited, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        await limiter.AcquireAsync(cancellationToken);
        return await next(message, cancellationToken);
    }
}

public sealed class RateLimitStreamBehaviour<TMessage, TChunk>(RateLimiter limiter) : IStreamPipelineBehavior<TMessage, TChunk>
    where TMessage : IUserRateLimited, IStreamMessage
{
    public async IAsyncEnumerable<TChunk> Handle(TMessage message, StreamHandlerDelegate<TMessage, TChunk> next,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await limiter.AcquireAsync(cancellationToken);
        await foreach (var chunk in next(message, cancellationToken).WithCancellation(cancellationToken))
            yield return chunk;
    }
}

/// <summary>Shared by the request and stream behaviours: the caller's user id is the key.</summary>
public sealed class RateLimiter(IRateWindowStore store, RateLimitOptions options, CurrentCaller current)
{
    public async ValueTask AcquireAsync(CancellationToken ct)
    {
        if (options.Requests == 0) return;
        var decision = await store.TryAcquireAsync("user:" + current.Caller.UserId, options.Requests, options.Window, ct);
        if (!decision.Allowed)
            throw new ApiException(429, "rate_limited", $"Rate limit exceeded: {options.Requests} requests per {options.Window.TotalSeconds:0} seconds")
            {
                RetryAfter = decision.RetryAfter,
            };
    }
}
