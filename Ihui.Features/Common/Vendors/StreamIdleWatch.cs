using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Vendors;

/// <summary>
/// How long a vendor stream may go quiet once it has started (<c>VENDOR_STREAM_IDLE_SECONDS</c>, default 60): a gap
/// between two chunks or frames (SSE comments such as keep-alives count as activity) longer than this ends the stream
/// with 408. The vendor's own <c>&lt;VENDOR&gt;_TIMEOUT_SECONDS</c> still bounds the wait for the first answer.
/// </summary>
public sealed record VendorStreamSettings(TimeSpan IdleTimeout)
{
    public const string IdleVariable = "VENDOR_STREAM_IDLE_SECONDS";

    public static VendorStreamSettings From(IConfiguration c) => new(Setting.Seconds(c, IdleVariable, 60, 3600));
}

/// <summary>
/// The one idle clock of every streaming vendor client (SSE over HTTP, vendor WebSockets). Read the stream with
/// <see cref="Token"/> and call <see cref="Alive"/> whenever the vendor sends something; when the vendor stays quiet
/// longer than the limit the token is cancelled, which aborts the vendor request, and <see cref="Expired"/> tells that
/// apart from the caller going away, so the client raises <see cref="Timeout"/> (408: billing then charges only what was
/// delivered, and the client gets the documented timeout error instead of silence).
/// </summary>
public sealed class StreamIdleWatch : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _caller;
    private TimeSpan _idle;

    public StreamIdleWatch(TimeSpan idle, CancellationToken caller)
    {
        _caller = caller;
        _idle = idle;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(caller);
        _cts.CancelAfter(idle);
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>The vendor sent something: the clock starts again (with <paramref name="next"/> as the limit, if given).</summary>
    public void Alive(TimeSpan? next = null)
    {
        if (next is { } n) _idle = n;
        if (!_cts.IsCancellationRequested) _cts.CancelAfter(_idle);
    }

    /// <summary>The token was cancelled by the idle clock, not by the caller.</summary>
    public bool Expired => _cts.IsCancellationRequested && !_caller.IsCancellationRequested;

    public ApiException Timeout(string vendor) =>
        new(408, "vendor_timeout", $"{vendor} did not answer in time: nothing for {_idle.TotalSeconds:0.###} s mid-stream");

    public void Dispose() => _cts.Dispose();
}
