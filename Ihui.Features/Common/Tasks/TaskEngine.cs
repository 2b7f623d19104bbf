using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Telemetry;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Tasks;

/// <summary>
/// Submits, polls and settles vendor tasks. The money of a task is held from submit until its one terminal
/// transition, which charges (success) or refunds (anything else) in the same transaction that guards it.
/// </summary>
public sealed class TaskEngine(
    TaskStore store, Ledger ledger, PriceBook prices, GatewaySettings settings, TaskOptions options, TaskHub hub,
    IEnumerable<ITaskVendor> vendors, TimeProvider clock, IhuiMetrics metrics, WriteRetry retry, ILogger<TaskEngine> logger)
{
    private readonly Dictionary<string, ITaskVendor> _vendors = vendors
        .GroupBy(v => v.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>This instance's lease owner name; several instances on one database each have their own.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public TaskOptions Options => options;

    public async Task<TaskView> SubmitAsync(string userId, string route, string? chatId, TaskSubmission submission, CancellationToken ct)
    {
        if (!_vendors.TryGetValue(submission.Kind, out var vendor))
            throw new InvalidOperationException($"no ITaskVendor is registered for kind '{submission.Kind}'");
        var key = string.IsNullOrWhiteSpace(submission.IdempotencyKey) ? null : submission.IdempotencyKey.Trim();
        if (key is { Length: > 128 }) throw ApiException.BadRequest("Idempotency-Key must be at most 128 characters");
        if (key is not null && await store.FindByKeyAsync(userId, key, ct) is { } existing) return existing.ToView();

        var price = await prices.FindAsync(submission.PriceModel, ct) ?? throw ApiException.InvalidModel(submission.PriceModel);
        var amount = price.TokensFor(submission.WorstCase, settings.TokenBaseMultiplier);
        var now = clock.GetUtcNow().UtcDateTime;
        var deadline = submission.Deadline > TimeSpan.Zero ? submission.Deadline : options.Deadline;
        var row = new TaskRow
        {
            Id = "task_" + Guid.CreateVersion7().ToString("N"), UserId = userId, ChatId = chatId, Route = route, Kind = submission.Kind,
            Status = TaskState.Queued.ToWire(), Payload = submission.Payload.GetRawText(), PriceModel = submission.PriceModel,
            Reserved = amount, Deadline = now + deadline, CreatedAt = now,
        };

        var reserveStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var submitted = await store.Db.WriteAsync(async (c, tx) =>
        {
            try
            {
                await TaskStore.InsertAsync(c, tx, row, key, now + options.PollInterval, now, ct);
            }
            catch (Exception e) when (key is not null && TaskStore.IsUniqueViolation(e))
            {
                return Submitted.Duplicate;
            }
            return await ledger.ReserveAsync(c, tx, userId, row.Id, amount, deadline + options.HoldMargin, ct) ? Submitted.Held : Submitted.Short;
        }, outcome => outcome == Submitted.Held, ct);
        if (submitted == Submitted.Duplicate)
            // A concurrent duplicate won the key; answer with its task.
            return (await store.FindByKeyAsync(userId, key!, CancellationToken.None))?.ToView()
                   ?? throw ApiException.Conflict("a task with this Idempotency-Key is being created; retry");
        if (submitted == Submitted.Short) throw ApiException.InsufficientBalance(amount);
        metrics.BillingStage(BillingStages.TaskReserve, reserveStarted);

        VendorTaskRef created;
        try
        {
            // Not the caller's token: once money is held, a client hang-up must not leave a half-created task.
            created = await vendor.SubmitAsync(submission.Payload, CancellationToken.None);
        }
        catch (Exception e)
        {
            await FinishAsync(row, TaskState.Failed, null, null, ErrorText(e), releaseKey: true);
            throw;
        }
        if (!await store.SetVendorTaskIdAsync(row.Id, created.TaskId, created.ChannelId, clock.GetUtcNow().UtcDateTime))
            logger.LogWarning("Task {TaskId} ended before its vendor task {VendorTaskId} was recorded", row.Id, created.TaskId);
        logger.LogInformation("Task {TaskId} ({Kind}) submitted for user {UserId} on channel {ChannelId}, holding {Reserved}",
            row.Id, row.Kind, userId, created.ChannelId, amount);
        var view = row.ToView();
        hub.Publish(new TaskEvent(userId, chatId, row.Kind, view));
        return view;
    }

    public async Task<TaskView?> GetAsync(string userId, string taskId, CancellationToken ct) =>
        (await store.FindAsync(taskId, userId, ct))?.ToView();

    /// <summary>Waits for a terminal state; re-reads the database so a task polled by another instance is seen too.</summary>
    public async Task<TaskView> WaitAsync(string userId, string taskId, TimeSpan max, CancellationToken ct)
    {
        using var events = hub.Subscribe(userId);
        var until = clock.GetUtcNow() + max;
        while (true)
        {
            var view = await GetAsync(userId, taskId, ct) ?? throw ApiException.NotFound($"task '{taskId}' not found");
            var left = until - clock.GetUtcNow();
            if (view.State.IsTerminal() || left <= TimeSpan.Zero) return view;
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
            tick.CancelAfter(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            try
            {
                while (await events.Events.WaitToReadAsync(tick.Token))
                    if (events.Events.TryRead(out var e) && e.Task.TaskId == taskId && e.Task.State.IsTerminal())
                        return e.Task;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>One poller pass: claim due tasks, poll each once; returns how many were claimed.</summary>
    public async Task<int> PollDueAsync(CancellationToken ct)
    {
        var claimed = await store.ClaimAsync(InstanceId, clock.GetUtcNow().UtcDateTime, options.Lease, options.BatchSize, ct);
        foreach (var task in claimed)
        {
            try
            {
                await PollOneAsync(task, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The lease runs out and the task is picked up again; nothing is lost.
                logger.LogError(e, "Polling task {TaskId} failed", task.Id);
            }
        }
        return claimed.Count;
    }

    private async Task PollOneAsync(TaskRow task, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (now >= task.Deadline)
        {
            await FinishAsync(task, TaskState.Expired, null, null, "the task did not finish before its deadline");
            return;
        }
        if (!_vendors.TryGetValue(task.Kind, out var vendor))
        {
            await FinishAsync(task, TaskState.Failed, null, null, $"no vendor for task kind '{task.Kind}'");
            return;
        }
        if (task.VendorTaskId is null)
        {
            // The instance that submitted died between hold and vendor create, or is still creating.
            if (now - task.CreatedAt > options.Lease * 2)
                await FinishAsync(task, TaskState.Failed, null, null, "the submission was interrupted");
            else
                await store.RescheduleAsync(task.Id, InstanceId, task.State, task.Progress, task.Attempts, task.Polls, now + options.PollInterval, task.Error, now);
            return;
        }

        VendorTaskSnapshot snapshot;
        try
        {
            using var payload = JsonDocument.Parse(task.Payload);
            snapshot = await vendor.PollAsync(new VendorTaskRef(task.VendorTaskId, task.ChannelId), payload.RootElement.Clone(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var attempts = task.Attempts + 1;
            if (attempts >= options.MaxPollErrors)
            {
                await FinishAsync(task, TaskState.Failed, null, null, $"the vendor could not be polled: {ErrorText(e)}");
                return;
            }
            logger.LogWarning("Poll {Attempt} of task {TaskId} failed: {Error}", attempts, task.Id, ErrorText(e));
            await store.RescheduleAsync(task.Id, InstanceId, task.State, task.Progress, attempts, task.Polls,
                now + options.NextPollAfter(attempts), task.Error, clock.GetUtcNow().UtcDateTime);
            return;
        }

        if (snapshot.State.IsTerminal())
        {
            await FinishAsync(task, snapshot.State, snapshot.ResultUrls, snapshot.Usage, snapshot.Error);
            return;
        }
        var progress = Math.Clamp(snapshot.Progress ?? task.Progress, 0, 99);
        var polled = clock.GetUtcNow().UtcDateTime;
        if (await store.RescheduleAsync(task.Id, InstanceId, snapshot.State, progress, 0, task.Polls + 1,
                polled + options.NextPollAfter(task.Polls + 1), null, polled)
            && (snapshot.State != task.State || progress != task.Progress))
            hub.Publish(new TaskEvent(task.UserId, task.ChatId, task.Kind,
                task.ToView() with { State = snapshot.State, Progress = progress }));
    }

    /// <summary>
    /// The one terminal transition. Success without a result is treated as a failure: nobody pays for nothing.
    /// The charge is the priced usage, capped at the worst case that was held (the worst case when no usage is reported).
    /// </summary>
    private async Task FinishAsync(TaskRow task, TaskState state, IReadOnlyList<string>? urls, Usage? usage, string? error, bool releaseKey = false)
    {
        if (state == TaskState.Succeeded && urls is not { Count: > 0 })
            (state, error) = (TaskState.Failed, "the vendor reported success without a result");
        long cost = 0;
        if (state == TaskState.Succeeded)
        {
            var price = await prices.FindAsync(task.PriceModel);
            cost = usage is { } u && price is not null
                ? Math.Min(price.TokensFor(u, settings.TokenBaseMultiplier), task.Reserved)
                : task.Reserved;
        }
        // A vendor's failure text is shown to the caller: it may echo the request's credentials.
        error = SecretScrubber.ScrubOrNull(error is { Length: > 1000 } ? error[..1000] : error);
        var now = clock.GetUtcNow().UtcDateTime;
        var finishStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var progress = state == TaskState.Succeeded ? 100 : task.Progress;
        // The transition must land: a transient database error retries it (a retry after one that did land finds the task ended).
        var (ended, charged) = await retry.UntilLandedAsync("Task end", task.Id, _ => store.Db.WriteAsync(async (c, tx) =>
        {
            if (!await TaskStore.FinishAsync(c, tx, task.Id, state, progress, TaskRow.UrlsJson(urls), error, now)) return (false, 0L);
            long charge = 0;
            if (state == TaskState.Succeeded)
            {
                charge = (await ledger.SettleAsync(c, tx, task.UserId, task.Id, cost)).Charged;
                await TaskStore.SetChargedAsync(c, tx, task.Id, charge);
            }
            else
            {
                await ledger.RefundAsync(c, tx, task.UserId, task.Id);
            }
            if (releaseKey) await TaskStore.ReleaseKeyAsync(c, tx, task.Id);
            return (true, charge);
        }, outcome => outcome.Item1));
        if (!ended)
        {
            logger.LogInformation("Task {TaskId} was already settled elsewhere", task.Id);
            return;
        }
        metrics.BillingStage(BillingStages.TaskFinish, finishStarted);
        metrics.TokensCharged(task.PriceModel, charged);
        logger.LogInformation("Task {TaskId} ({Kind}) {Status}, charged {Charged} of {Reserved}", task.Id, task.Kind, state.ToWire(), charged, task.Reserved);
        hub.Publish(new TaskEvent(task.UserId, task.ChatId, task.Kind,
            new TaskView(task.Id, state, state == TaskState.Succeeded ? 100 : task.Progress, urls ?? [], error, task.Reserved, charged)));
    }

    private enum Submitted { Held, Short, Duplicate }

    private static string ErrorText(Exception e) => e is ApiException ? e.Message : "internal error";
}
