using System.Collections.Concurrent;
using System.Data.Common;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Data;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Billing.Leases;

/// <summary>
/// What billing and the call log write behind the answers, flushed in bulk on the writer: every
/// <see cref="LeaseOptions.FlushInterval"/>, or as soon as <see cref="LeaseOptions.FlushCalls"/> entries wait (at once
/// for a response that waits for its flush, with <c>BILLING_DURABILITY=sync</c>). One transaction per flush holds the
/// calls' <c>charge</c> ledger rows, the lowering of their leases' rows with a <c>lease_release</c> row each, the
/// returns of leases given back, and the call rows; so after every flush, for every user, balance = Σ ledger and no
/// lease row is below zero. A flush that fails is retried until it lands: the money in it is never dropped.
/// </summary>
public sealed class BillingJournal : IAsyncDisposable
{
    private readonly Db _db;
    private readonly LeaseStore _leases;
    private readonly LeaseOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<BillingJournal> _logger;
    private readonly ConcurrentQueue<Entry> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _count;
    private int _urgent;
    private volatile bool _closed;

    public BillingJournal(Db db, LeaseStore leases, LeaseOptions options, TimeProvider clock, ILogger<BillingJournal> logger)
    {
        _db = db;
        _leases = leases;
        _options = options;
        _clock = clock;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    private abstract class Entry
    {
        public TaskCompletionSource? Done;
    }

    private sealed class ChargeEntry(Lease lease, string callId, long amount) : Entry
    {
        public readonly string Id = LeaseStore.NewId();
        public readonly Lease Lease = lease;
        public readonly string CallId = callId;
        public readonly long Amount = amount;
    }

    private sealed class ReturnEntry(Lease lease) : Entry
    {
        public readonly Lease Lease = lease;
    }

    private sealed class CallEntry(CallRow row) : Entry
    {
        public readonly CallRow Row = row;
    }

    private sealed class MarkEntry : Entry;

    /// <summary>A call settled against a lease; with sync durability the task completes when its charge is on disk.</summary>
    public Task Charge(Lease lease, string callId, long amount)
    {
        var entry = new ChargeEntry(lease, callId, amount);
        if (!_options.SyncDurability)
        {
            Add(entry, urgent: false);
            return Task.CompletedTask;
        }
        entry.Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Add(entry, urgent: true);
        return entry.Done.Task;
    }

    /// <summary>Gives the lease's remainder back (its row deleted) in the flush that writes its last charges.</summary>
    public Task Return(Lease lease)
    {
        var entry = new ReturnEntry(lease) { Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        Add(entry, urgent: true);
        return entry.Done.Task;
    }

    public void Enqueue(CallRow row) => Add(new CallEntry(row), urgent: false);

    /// <summary>Completes when everything enqueued before the call is on disk (or, for call rows, has failed and been logged).</summary>
    public Task FlushAsync()
    {
        if (_loop.IsCompleted) return Task.CompletedTask;
        var entry = new MarkEntry { Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        Add(entry, urgent: true);
        return entry.Done.Task;
    }

    private void Add(Entry entry, bool urgent)
    {
        if (_closed && entry is not CallEntry) _logger.LogWarning("Billing journal entry after shutdown began; flushing it with the rest");
        _queue.Enqueue(entry);
        var n = Interlocked.Increment(ref _count);
        if (urgent) Volatile.Write(ref _urgent, 1);
        if (n == 1 || n == _options.FlushCalls || urgent) _wake.Release();
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            try
            {
                await _wake.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping: what is queued is flushed below.
            }
            var stopping = _stop.IsCancellationRequested;
            if (!stopping && Volatile.Read(ref _count) == 0) continue;
            if (!stopping && Interlocked.Exchange(ref _urgent, 0) == 0 && Volatile.Read(ref _count) < _options.FlushCalls)
            {
                try
                {
                    await Task.Delay(_options.FlushInterval, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            Interlocked.Exchange(ref _urgent, 0);
            while (!_queue.IsEmpty) await FlushBatchAsync(TakeBatch());
            if (stopping && _queue.IsEmpty) return;
        }
    }

    private List<Entry> TakeBatch()
    {
        var batch = new List<Entry>(Math.Min(Volatile.Read(ref _count), _options.FlushCalls) + 1);
        while (batch.Count < _options.FlushCalls && _queue.TryDequeue(out var e)) batch.Add(e);
        Interlocked.Add(ref _count, -batch.Count);
        return batch;
    }

    /// <summary>What one flush found and must apply in memory once it has committed.</summary>
    private sealed class Outcome
    {
        public readonly HashSet<Lease> Gone = [];
        public readonly Dictionary<Lease, long> Charged = [];
        public readonly Dictionary<UserLeases, long> Seen = [];
    }

    private async Task FlushBatchAsync(List<Entry> batch)
    {
        var calls = batch.OfType<CallEntry>().Select(e => e.Row).ToList();
        var money = batch.Any(e => e is ChargeEntry or ReturnEntry);
        var withCalls = calls.Count > 0;
        var delay = TimeSpan.FromMilliseconds(5);
        var giveUpAt = (DateTime?)null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = money || withCalls ? await _db.WriteAsync((c, tx) => WriteAsync(c, tx, batch, withCalls)) : new Outcome();
                Apply(outcome);
                break;
            }
            catch (Exception e) when (attempt > 1 && DbErrors.IsUniqueViolation(e) && !withCalls)
            {
                // Its rows are already there: an earlier attempt committed and only its answer was lost.
                _logger.LogWarning("Billing flush of {Entries} entries had already landed", batch.Count);
                Apply(new Outcome());
                break;
            }
            catch (Exception e)
            {
                if (withCalls && (!DbErrors.IsTransient(e) || attempt >= 3))
                {
                    // One bad call row must not hold the money back: the call rows go one by one, the money is retried alone.
                    _logger.LogWarning(e, "Billing flush of {Entries} entries failed; writing its call rows one by one", batch.Count);
                    await WriteCallsOneByOneAsync(calls);
                    withCalls = false;
                    if (!money) break;
                    continue;
                }
                if (_stop.IsCancellationRequested)
                {
                    giveUpAt ??= DateTime.UtcNow.AddSeconds(30);
                    if (DateTime.UtcNow > giveUpAt)
                    {
                        _logger.LogError(e, "Billing flush of {Entries} entries could not land before shutdown; their leases expire and are swept back", batch.Count);
                        foreach (var entry in batch) entry.Done?.TrySetException(e);
                        return;
                    }
                }
                _logger.LogWarning(e, "Billing flush of {Entries} entries failed (attempt {Attempt}); retrying", batch.Count, attempt);
                await Task.Delay(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(1000, delay.TotalMilliseconds * 2));
            }
        }
        foreach (var entry in batch) entry.Done?.TrySetResult();
    }

    private async Task WriteCallsOneByOneAsync(List<CallRow> calls)
    {
        foreach (var row in calls)
        {
            try
            {
                await _db.WriteAsync((c, tx) => CallLogStore.WriteRowsAsync(_db, c, tx, [row]));
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Could not write call log row {CallId}", row.Id);
            }
        }
    }

    private async Task<Outcome> WriteAsync(DbConnection c, DbTransaction? tx, List<Entry> batch, bool withCalls)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var outcome = new Outcome();
        var charges = new List<ChargeEntry>();
        foreach (var entry in batch)
            if (entry is ChargeEntry { Amount: > 0 } charge)
            {
                charges.Add(charge);
                outcome.Charged[charge.Lease] = outcome.Charged.GetValueOrDefault(charge.Lease) + charge.Amount;
            }

        var ledger = new List<(string Id, string UserId, long Delta, string Kind, string CallId)>(charges.Count + outcome.Charged.Count);
        foreach (var (lease, sum) in outcome.Charged)
        {
            var lowered = await _db.Hot(c, tx, "UPDATE leases SET amount = amount - @Sum WHERE id = @LeaseId")
                .Set("@Sum", sum).Set("@LeaseId", lease.Id).ExecuteAsync();
            if (lowered == 1)
            {
                ledger.Add((LeaseStore.NewId(), lease.UserId, sum, LeaseKinds.Release, lease.Id));
                continue;
            }
            // The row was swept (this instance lost the database for longer than a lease lives) and its amount given
            // back: the calls it served are charged to the balance itself.
            outcome.Gone.Add(lease);
            await _db.Hot(c, tx, "UPDATE users SET balance = balance - @Sum WHERE id = @UserId").Set("@Sum", sum).Set("@UserId", lease.UserId).ExecuteAsync();
            if (lease.ApiKeyId is not null)
                await _db.Hot(c, tx, "UPDATE api_keys SET used = used + @Sum WHERE id = @KeyId").Set("@Sum", sum).Set("@KeyId", lease.ApiKeyId).ExecuteAsync();
        }
        foreach (var charge in charges)
            ledger.Add((charge.Id, charge.Lease.UserId, -charge.Amount, Ledger.Kinds.Charge, charge.CallId));
        await InsertLedgerAsync(c, tx, ledger, now);

        foreach (var entry in batch)
        {
            if (entry is not ReturnEntry { Lease: var lease }) continue;
            if (await _leases.TakeRowAsync(c, tx, lease.Id, now, expiredOnly: false) is { } row)
                await _leases.GiveBackAsync(c, tx, row.UserId, row.KeyId, row.Amount, LeaseKinds.Return, lease.Id, now);
            else if (lease.Created) outcome.Gone.Add(lease);
        }

        if (withCalls) await CallLogStore.WriteRowsAsync(_db, c, tx, batch.OfType<CallEntry>().Select(e => e.Row).ToList());

        foreach (var owner in batch.Select(e => e switch { ChargeEntry ch => ch.Lease.Owner, ReturnEntry r => r.Lease.Owner, _ => null }).Distinct())
        {
            if (owner is null) continue;
            outcome.Seen[owner] = await _db.Hot(c, tx, LeaseStore.SeenSql).Set("@UserId", owner.UserId).Set("@Instance", _options.InstanceId)
                .FirstAsync(r => LeaseStore.Long(r, 0), 0);
        }
        return outcome;
    }

    private const string InsertLedgerSql =
        "INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) VALUES (@Id, @UserId, @Delta, @Kind, @CallId, @Now)";

    /// <summary>SQLite's writer: one prepared statement per row. MySQL: one multi-row INSERT.</summary>
    private async Task InsertLedgerAsync(DbConnection c, DbTransaction? tx, List<(string Id, string UserId, long Delta, string Kind, string CallId)> rows, DateTime now)
    {
        if (rows.Count == 0) return;
        if (_db.Dialect != SqlDialect.MySql)
        {
            foreach (var r in rows)
                await _db.Hot(c, tx, InsertLedgerSql)
                    .Set("@Id", r.Id).Set("@UserId", r.UserId).Set("@Delta", r.Delta).Set("@Kind", r.Kind).Set("@CallId", r.CallId).Set("@Now", now)
                    .ExecuteAsync();
            return;
        }
        var sql = new System.Text.StringBuilder("INSERT INTO ledger (id, user_id, delta, kind, call_id, created_at) VALUES ");
        for (var i = 0; i < rows.Count; i++)
            sql.Append(i == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"(@Id{i}, @U{i}, @D{i}, @K{i}, @C{i}, @Now)");
        var command = _db.Hot(c, tx, sql.ToString()).Set("@Now", now);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command = command.Set("@Id" + n, r.Id).Set("@U" + n, r.UserId).Set("@D" + n, r.Delta).Set("@K" + n, r.Kind).Set("@C" + n, r.CallId);
        }
        await command.ExecuteAsync();
    }

    private static void Apply(Outcome outcome)
    {
        foreach (var (lease, sum) in outcome.Charged)
            if (!outcome.Gone.Contains(lease)) lease.Flushed(sum);
        foreach (var lease in outcome.Gone) lease.Lost();
        foreach (var (owner, seen) in outcome.Seen) owner.Seen = seen;
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        await _stop.CancelAsync();
        _wake.Release();
        await _loop;
    }
}
