using System.Runtime.CompilerServices;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Mediator;
using Microsoft.AspNetCore.Http;

namespace Ihui.Features.Common.Limits;

/// <summary>After auth: the request is counted against its user's and key's limits and holds their slots until it ends.</summary>
public sealed class RateLimitBehaviour<TMessage, TResponse>(RequestLimiter limiter)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IAuthenticatedRequest, IMessage
{
    private static readonly bool Exempt = typeof(IAdminRequest).IsAssignableFrom(typeof(TMessage));
    private static readonly bool InGroup = typeof(IUserRateLimited).IsAssignableFrom(typeof(TMessage));

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (Exempt) return await next(message, cancellationToken);
        var lease = await limiter.AcquireAsync(InGroup, cancellationToken);
        if (!lease.Holds) return await next(message, cancellationToken);
        try
        {
            return await next(message, cancellationToken);
        }
        finally
        {
            limiter.Release(lease);
        }
    }
}

/// <summary>The stream form: the slot is held until the stream ends, fails or its consumer goes away.</summary>
public sealed class RateLimitStreamBehaviour<TMessage, TChunk>(RequestLimiter limiter) : IStreamPipelineBehavior<TMessage, TChunk>
    where TMessage : IAuthenticatedRequest, IStreamMessage
{
    private static readonly bool Exempt = typeof(IAdminRequest).IsAssignableFrom(typeof(TMessage));
    private static readonly bool InGroup = typeof(IUserRateLimited).IsAssignableFrom(typeof(TMessage));

    public async IAsyncEnumerable<TChunk> Handle(TMessage message, StreamHandlerDelegate<TMessage, TChunk> next,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lease = Exempt ? default : await limiter.AcquireAsync(InGroup, cancellationToken);
        try
        {
            await foreach (var chunk in next(message, cancellationToken).WithCancellation(cancellationToken))
                yield return chunk;
        }
        finally
        {
            limiter.Release(lease);
        }
    }
}

/// <summary>
/// Builds the caller's plan (global defaults, the key's own limits instead of the key defaults) and asks the store.
/// A refusal is a 429 in the route's error shape with <c>Retry-After</c>; on HTTP the header is set here too, so a
/// route that renders its own errors carries it.
/// </summary>
public sealed class RequestLimiter(ILimitStore store, LimitOptions options, CurrentCaller current, IHttpContextAccessor http)
{
    public async ValueTask<LimitLease> AcquireAsync(bool inGroup, CancellationToken ct)
    {
        var caller = current.Caller;
        var plan = new LimitPlan(caller.UserId, caller.ApiKeyId, options.UserRequestsPerMinute,
            caller.ApiKeyId is null ? 0 : caller.KeyRpmLimit ?? options.KeyRequestsPerMinute,
            inGroup ? options.GroupRequests : 0, options.GroupWindow, options.UserConcurrency,
            caller.ApiKeyId is null ? 0 : caller.KeyConcurrencyLimit ?? options.KeyConcurrency);
        if (plan.IsEmpty) return default;
        var decision = await store.AcquireAsync(plan, ct);
        if (decision.Allowed) return decision.Lease;
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        if (http.HttpContext?.Response is { HasStarted: false } response) response.Headers.RetryAfter = seconds.ToString();
        throw new ApiException(429, "rate_limited", Message(decision.Refused, plan)) { RetryAfter = TimeSpan.FromSeconds(seconds) };
    }

    public void Release(in LimitLease lease)
    {
        if (lease.Holds) store.Release(lease);
    }

    private static string Message(LimitKind kind, in LimitPlan plan) => kind switch
    {
        LimitKind.UserRate => $"Rate limit exceeded: {plan.UserRpm} requests per minute for this user",
        LimitKind.KeyRate => $"Rate limit exceeded: {plan.KeyRpm} requests per minute for this API key",
        LimitKind.GroupRate => $"Rate limit exceeded: {plan.GroupLimit} requests per {plan.GroupWindow.TotalSeconds:0} seconds",
        LimitKind.UserConcurrency => $"Too many concurrent requests: at most {plan.UserConcurrency} at once for this user",
        _ => $"Too many concurrent requests: at most {plan.KeyConcurrency} at once for this API key",
    };
}
