using System.Collections.Concurrent;
using Ihui.Features.Common.Configuration;

namespace Ihui.Features.Common.Billing.Leases;

public enum Admission { Leased, PerCall, InsufficientBalance, KeyQuotaExceeded, KeyRevoked }

/// <summary>
/// This instance's leases, by user and API key. A call's hold is taken from its lease in memory; when the lease is
/// short, one caller at a time tops it up (one atomic statement on the balance) and the others wait for that top-up.
/// A user whose balance cannot cover even the smallest lease is billed per call (<see cref="Admission.PerCall"/>).
/// </summary>
public sealed class LeaseBook(LeaseStore store, BillingJournal journal, LeaseOptions options, GatewaySettings settings)
{
    private readonly ConcurrentDictionary<string, UserLeases> _users = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    /// <summary>After a lease could not be taken, how long the user is billed per call before a lease is tried again.</summary>
    private const long NoLeaseMs = 1_000;

    public LeaseOptions Options => options;

    /// <summary>
    /// A lease takes new holds only while its row was written well within its life (renewal runs every quarter of it),
    /// so no hold is taken against a row a sweeper may already give back.
    /// </summary>
    private long FreshForMs => (long)options.Ttl.TotalMilliseconds * 3 / 4;

    public IEnumerable<UserLeases> Users => _users.Values;

    public async ValueTask<(Admission Outcome, Lease? Lease)> AdmitAsync(string userId, string? apiKeyId, long amount, CancellationToken ct)
    {
        if (!options.Enabled || _stopping) return (Admission.PerCall, null);
        var owner = _users.GetOrAdd(userId, id => new UserLeases(id));
        var key = apiKeyId ?? "";
        for (var tries = 0; tries < 64; tries++)
        {
            if (owner.Leases.TryGetValue(key, out var existing) && existing.TryHold(amount)) return (Admission.Leased, existing);
            if (Environment.TickCount64 < Interlocked.Read(ref owner.NoLeaseUntil)) return (Admission.PerCall, null);
            var lease = owner.Leases.GetOrAdd(key, _ => new Lease(Guid.NewGuid().ToString(), userId, apiKeyId, owner) { FreshForMs = FreshForMs });
            await lease.TopUpGate.WaitAsync(ct);
            try
            {
                if (lease.TryHold(amount)) return (Admission.Leased, lease);
                if (lease.Closed)
                {
                    owner.Leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
                    continue;
                }
                var outcome = await TopUpAsync(lease, amount - Math.Max(0, lease.Available), amount, ct);
                if (outcome == TopUpOutcome.TakenFromBalance)
                {
                    if (lease.TryHold(amount)) return (Admission.Leased, lease);
                    continue;
                }
                if (outcome == TopUpOutcome.LeaseGone)
                {
                    lease.Lost();
                    owner.Leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
                    continue;
                }
                if (!lease.Created)
                {
                    // Not even the smallest lease: this user is billed per call, exactly to the token.
                    owner.Leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
                    Interlocked.Exchange(ref owner.NoLeaseUntil, Environment.TickCount64 + NoLeaseMs);
                    return (Admission.PerCall, null);
                }
                return (outcome switch
                {
                    TopUpOutcome.KeyQuotaExceeded => Admission.KeyQuotaExceeded,
                    TopUpOutcome.KeyRevoked => Admission.KeyRevoked,
                    _ => Admission.InsufficientBalance,
                }, null);
            }
            finally
            {
                lease.TopUpGate.Release();
            }
        }
        return (Admission.PerCall, null);
    }

    /// <summary>
    /// Tops the lease up by about a second of the user's spend; when the balance cannot give that much, by exactly the
    /// shortfall (or, for a lease not yet taken, by the smallest lease). Runs under the lease's top-up gate.
    /// </summary>
    private async Task<TopUpOutcome> TopUpAsync(Lease lease, long shortfall, long hold, CancellationToken ct)
    {
        var size = lease.Owner.NextLeaseSize(Math.Max(shortfall, hold), options.MinTokens, options.MaxTokens);
        var fallback = lease.Created ? shortfall : Math.Max(options.MinTokens, hold);
        var outcome = TopUpOutcome.InsufficientBalance;
        foreach (var amount in size > fallback ? [size, fallback] : new[] { fallback })
        {
            var at = Environment.TickCount64;
            var result = await store.TopUpAsync(lease, amount, force: false, ct);
            outcome = result.Outcome;
            if (outcome != TopUpOutcome.TakenFromBalance)
            {
                if (outcome is TopUpOutcome.LeaseGone or TopUpOutcome.KeyRevoked) return outcome;
                continue;
            }
            lease.Created = true;
            lease.Add(amount, at);
            lease.Owner.Seen = result.Seen;
            return outcome;
        }
        return outcome;
    }

    /// <summary>
    /// Settles a call against its lease in memory; the charge joins the journal. A charge above what the lease has left
    /// is first topped up by the difference (taken whatever the balance when negative balances are allowed), else
    /// capped at what the lease has, as a per-call charge is capped at the balance.
    /// </summary>
    public async Task<Receipt> SettleAsync(Lease lease, string callId, long hold, long cost)
    {
        var over = cost - hold - lease.Available;
        if (over > 0)
        {
            await lease.TopUpGate.WaitAsync();
            try
            {
                over = cost - hold - lease.Available;
                if (over > 0)
                {
                    var at = Environment.TickCount64;
                    var result = await store.TopUpAsync(lease, over, settings.AllowNegativeBalance, CancellationToken.None);
                    if (result.Outcome == TopUpOutcome.TakenFromBalance)
                    {
                        lease.Created = true;
                        lease.Add(over, at);
                        lease.Owner.Seen = result.Seen;
                    }
                }
            }
            catch (Exception)
            {
                // The charge is capped at what the lease has; the call is never left unsettled.
            }
            finally
            {
                lease.TopUpGate.Release();
            }
        }
        var charge = lease.Settle(hold, cost);
        lease.Owner.Spent(charge);
        var flushed = journal.Charge(lease, callId, charge);
        if (options.SyncDurability) await flushed;
        return new Receipt(hold, charge, lease.Owner.Visible);
    }

    public void Refund(Lease lease, long hold) => lease.Release(hold);

    /// <summary>Returns the leases idle for <see cref="LeaseOptions.Idle"/> (nothing held); waits for their flush.</summary>
    public async Task<int> ReturnIdleAsync(long idleMs)
    {
        var returns = new List<Task>();
        foreach (var owner in _users.Values)
        {
            foreach (var (key, lease) in owner.Leases)
            {
                // A lease being topped up (or taken) is in use: its row may be committing right now.
                if (!lease.TopUpGate.Wait(0)) continue;
                try
                {
                    if (!lease.CloseIfIdle(idleMs)) continue;
                    owner.Leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
                    if (lease.Created) returns.Add(journal.Return(lease));
                }
                finally
                {
                    lease.TopUpGate.Release();
                }
            }
            if (owner.Leases.IsEmpty && Environment.TickCount64 > Interlocked.Read(ref owner.NoLeaseUntil))
                _users.TryRemove(new KeyValuePair<string, UserLeases>(owner.UserId, owner));
        }
        await Task.WhenAll(returns);
        return returns.Count;
    }

    /// <summary>Shutdown: no new leases or holds; each lease is returned once its last hold has settled (or at <paramref name="deadline"/>, whatever is still idle).</summary>
    public async Task ReturnAllAsync(TimeSpan deadline)
    {
        _stopping = true;
        foreach (var owner in _users.Values)
            foreach (var lease in owner.Leases.Values)
                lease.Close();
        var end = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
        while (_users.Values.Any(u => u.Leases.Values.Any(l => l.Holds > 0)) && Environment.TickCount64 < end) await Task.Delay(20);
        var returns = new List<Task>();
        foreach (var owner in _users.Values)
            foreach (var (key, lease) in owner.Leases)
            {
                if (lease.Holds > 0) continue; // still in flight: its row expires and is swept back
                await lease.TopUpGate.WaitAsync();
                owner.Leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
                if (lease.Created) returns.Add(journal.Return(lease));
                lease.TopUpGate.Release();
            }
        await Task.WhenAll(returns);
        await journal.FlushAsync();
    }

    /// <summary>Flushes the journal and returns every lease not in use; leases are taken again by the next calls (tests, admin views).</summary>
    public async Task SettleUpAsync()
    {
        await ReturnIdleAsync(0);
        await journal.FlushAsync();
    }

    /// <summary>Renews this instance's lease rows; a lease whose row has gone (swept) stops admitting holds.</summary>
    public async Task RenewAsync(CancellationToken ct)
    {
        var started = Environment.TickCount64;
        // Only leases whose rows existed before the renewal began can be told missing by it.
        var known = _users.Values.SelectMany(o => o.Leases.Select(kv => (Owner: o, Key: kv.Key, Lease: kv.Value))).Where(x => x.Lease.Created).ToList();
        var onDisk = await store.RenewAsync(ct);
        foreach (var (owner, key, lease) in known)
        {
            if (onDisk.Contains(lease.Id))
            {
                lease.Confirmed(started);
                continue;
            }
            if (lease.Closed) continue;
            lease.Lost();
            owner.Leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
        }
    }
}
