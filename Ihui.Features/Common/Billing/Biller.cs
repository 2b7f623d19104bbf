using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Telemetry;

namespace Ihui.Features.Common.Billing;

/// <summary>A reservation in flight: who, for which call, at which price, how much is held.
/// A hold drawn on a lease (<see cref="Lease"/> set) lives in memory; otherwise it is a <c>holds</c> row (per-call billing).</summary>
public readonly record struct Hold(string UserId, string CallId, Price Price, long Amount, Leases.Lease? Lease = null);

/// <summary>Billing steps shared by the request and stream billing behaviours.</summary>
public sealed class Biller(PriceBook prices, Ledger ledger, Leases.LeaseBook leases, GatewaySettings settings, CurrentCaller current, CallContext call, IhuiMetrics metrics)
{
    public async ValueTask<Hold> ReserveAsync(string model, Usage estimate, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var span = IhuiMetrics.Activities.StartActivity("billing reserve");
        try
        {
            var price = await prices.FindAsync(model, ct) ?? throw ApiException.InvalidModel(model);
            var amount = price.TokensFor(estimate, settings.TokenBaseMultiplier);
            var caller = current.Caller;
            if (caller.AllowedModels is { } allowed && !allowed.Contains(model))
                throw new ApiException(403, "model_not_allowed", $"this API key may not use model '{model}'");
            var userId = caller.UserId;
            call.Model ??= model;
            if (amount > 0)
            {
                var (admission, lease) = await leases.AdmitAsync(userId, caller.ApiKeyId, amount, ct);
                switch (admission)
                {
                    case Leases.Admission.Leased:
                        call.Reserved = amount;
                        return new Hold(userId, call.CallId, price, amount, lease);
                    case Leases.Admission.InsufficientBalance: throw ApiException.InsufficientBalance(amount);
                    case Leases.Admission.KeyQuotaExceeded: throw KeyQuotaExceeded(amount);
                    case Leases.Admission.KeyRevoked: throw ApiException.Unauthorized("invalid, revoked or expired API key");
                }
            }
            switch (await ledger.TryReserveAsync(userId, call.CallId, amount, caller.ApiKeyId, ct: ct))
            {
                case ReserveOutcome.InsufficientBalance: throw ApiException.InsufficientBalance(amount);
                case ReserveOutcome.KeyQuotaExceeded: throw KeyQuotaExceeded(amount);
                case ReserveOutcome.KeyRevoked: throw ApiException.Unauthorized("invalid, revoked or expired API key");
            }
            call.Reserved = amount;
            return new Hold(userId, call.CallId, price, amount);
        }
        finally
        {
            metrics.BillingStage(BillingStages.Reserve, started);
        }
    }

    private static ApiException KeyQuotaExceeded(long amount) =>
        new(429, "insufficient_quota", $"this API key's token quota cannot cover this call (up to {amount} tokens)");

    public async Task<Receipt> SettleAsync(Hold hold, Usage usage)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Receipt receipt;
        using (IhuiMetrics.Activities.StartActivity("billing settle"))
        {
            try
            {
                var cost = hold.Price.TokensFor(usage, settings.TokenBaseMultiplier);
                receipt = hold.Lease is { } lease
                    ? await leases.SettleAsync(lease, hold.CallId, hold.Amount, cost)
                    : await ledger.SettleAsync(hold.UserId, hold.CallId, cost);
            }
            finally
            {
                metrics.BillingStage(BillingStages.Settle, started);
            }
        }
        call.Usage = usage;
        call.Charged = receipt.Charged;
        metrics.TokensCharged(hold.Price.Model, receipt.Charged);
        return receipt;
    }

    /// <summary>
    /// Keeps a long call's hold alive until disposed: its expiry moves on every third of <c>BILLING_HOLD_TIMEOUT_SECONDS</c>,
    /// so the sweeper, which takes holds that outlived it, never takes the hold of a stream still running.
    /// </summary>
    /// <remarks>A hold drawn on a lease has no row to renew (the instance renews its lease rows), so nothing is kept.</remarks>
    public IAsyncDisposable KeepAlive(Hold hold) =>
        hold.Lease is null ? new HoldRenewal(ledger, hold.CallId, settings.HoldTimeout) : NothingToRenew.Instance;

    private sealed class NothingToRenew : IAsyncDisposable
    {
        public static readonly NothingToRenew Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class HoldRenewal : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly PeriodicTimer _timer;
        private readonly Task _loop;

        public HoldRenewal(Ledger ledger, string callId, TimeSpan holdFor)
        {
            _timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(10, holdFor.TotalMilliseconds / 3)));
            _loop = RenewAsync(ledger, callId, holdFor, _timer, _stop.Token);
        }

        // The timer is stopped by disposing it (the wait then ends with false), not by cancelling the wait: a call's end
        // costs no exception. The token only cuts a renewal in flight.
        private static async Task RenewAsync(Ledger ledger, string callId, TimeSpan holdFor, PeriodicTimer timer, CancellationToken ct)
        {
            while (await timer.WaitForNextTickAsync())
            {
                try
                {
                    if (!await ledger.RenewHoldAsync(callId, holdFor, ct)) return;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception)
                {
                    // The next tick tries again; a third of the timeout is left before the hold could be swept.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _timer.Dispose();
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }

    public async Task RefundAsync(Hold hold)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var span = IhuiMetrics.Activities.StartActivity("billing refund");
        try
        {
            if (hold.Lease is { } lease) leases.Refund(lease, hold.Amount);
            else await ledger.RefundAsync(hold.UserId, hold.CallId);
        }
        finally
        {
            metrics.BillingStage(BillingStages.Refund, started);
        }
    }
}
