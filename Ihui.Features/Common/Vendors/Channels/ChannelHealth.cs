using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Vendors.Channels;

/// <summary>
/// A channel's circuit breaker. <see cref="ChannelSettings.BreakerFailures"/> failures (connect errors, timeouts, 429,
/// 5xx, refused credentials, cut or garbled streams) with no success between them, within
/// <see cref="ChannelSettings.BreakerWindow"/>, open it: routing skips it for <see cref="ChannelSettings.BreakerCooldown"/>.
/// Then it is half-open: one call at a time may probe it; a success closes it, a failure opens it again.
/// </summary>
/// <remarks>
/// Written here rather than with Polly's breaker: routing must ask "may I use this channel now?" of every candidate
/// before choosing one, cheaply and without throwing, and count outcomes reported from several places (the answer,
/// a stream that breaks later); Polly's breaker wraps one execution and reports its state by throwing.
/// </remarks>
public sealed class ChannelHealth(ChannelSettings settings, TimeProvider clock, string label, ILogger logger)
{
    /// <summary>The breaker's time in milliseconds: the clock's monotonic timestamp, so a test can step it.</summary>
    public long Millis() => clock.GetTimestamp() / (clock.TimestampFrequency / 1000);

    private readonly Lock _gate = new();
    private int _failures;
    private long _windowStart;
    private long _openUntil; // Millis(); 0 = closed
    private int _probing;

    public enum State { Closed, Open, HalfOpen }

    public State Now(long now)
    {
        var until = Volatile.Read(ref _openUntil);
        return until == 0 ? State.Closed : until > now ? State.Open : State.HalfOpen;
    }

    /// <summary>Whether routing may pick the channel now: closed, or half-open with no probe running.</summary>
    public bool Available(long now)
    {
        var until = Volatile.Read(ref _openUntil);
        return until == 0 || (until <= now && Volatile.Read(ref _probing) == 0);
    }

    /// <summary>Claims the one probe of a half-open channel; true when the channel is closed (nothing to claim).</summary>
    public bool TryClaim(long now)
    {
        var until = Volatile.Read(ref _openUntil);
        if (until == 0) return true;
        return until <= now && Interlocked.CompareExchange(ref _probing, 1, 0) == 0;
    }

    /// <summary>A try that ended without an answer to judge by (the caller went away).</summary>
    public void Release() => Volatile.Write(ref _probing, 0);

    /// <summary>Counts one outcome (<see cref="VendorOutcomes"/>); a client error says nothing bad of the channel.</summary>
    public void Observe(string outcome)
    {
        if (outcome is VendorOutcomes.Ok or VendorOutcomes.ClientError) Success();
        else Failure(outcome);
    }

    private void Success()
    {
        if (Volatile.Read(ref _failures) == 0 && Volatile.Read(ref _openUntil) == 0) return;
        bool reopened;
        lock (_gate)
        {
            reopened = _openUntil != 0;
            _failures = 0;
            _openUntil = 0;
            _probing = 0;
        }
        if (reopened) logger.LogInformation("Channel {Channel} is back in service (circuit closed)", label);
    }

    private void Failure(string outcome)
    {
        var now = Millis();
        var opened = false;
        lock (_gate)
        {
            if (_openUntil != 0)
            {
                // A failed probe (or a late failure of a call started before the circuit opened) restarts the cool-down.
                if (_openUntil <= now)
                {
                    _openUntil = now + (long)settings.BreakerCooldown.TotalMilliseconds;
                    opened = true;
                }
                _probing = 0;
            }
            else
            {
                if (_failures == 0 || now - _windowStart > settings.BreakerWindow.TotalMilliseconds)
                {
                    _windowStart = now;
                    _failures = 0;
                }
                if (++_failures >= settings.BreakerFailures)
                {
                    _openUntil = now + (long)settings.BreakerCooldown.TotalMilliseconds;
                    _failures = 0;
                    opened = true;
                }
            }
        }
        if (opened)
            logger.LogWarning("Channel {Channel} is out of service for {CooldownSeconds} s after repeated failures (last: {Outcome})",
                label, settings.BreakerCooldown.TotalSeconds, outcome);
    }
}
