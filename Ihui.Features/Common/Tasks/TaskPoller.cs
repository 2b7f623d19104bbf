using System.Diagnostics.Metrics;
using Ihui.Features.Common.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Tasks;

/// <summary>Polls due tasks on every instance; the leases in <see cref="TaskStore"/> keep instances off each other's tasks.</summary>
public sealed class TaskPoller : BackgroundService
{
    private readonly TaskEngine engine;
    private readonly TaskOptions options;
    private readonly ILogger<TaskPoller> logger;

    public TaskPoller(TaskEngine engine, TaskStore store, TaskOptions options, IhuiMetrics metrics, ILogger<TaskPoller> logger)
    {
        (this.engine, this.options, this.logger) = (engine, options, logger);
        // Read at each scrape or export, so it is the database's count at that moment (every instance's tasks).
        metrics.Meter.CreateObservableGauge("ihui.tasks.active", () => Observe(store), "{task}", "Tasks queued or running now, by status");
    }

    private IEnumerable<Measurement<long>> Observe(TaskStore store)
    {
        IReadOnlyList<(string Status, long Count)> counts;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            counts = store.CountActiveAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            logger.LogWarning("Counting active tasks for the metrics failed: {Error}", e.Message);
            return [];
        }
        var byStatus = counts.ToDictionary(r => r.Status, r => r.Count);
        return ((string[])["queued", "running"]).Select(status =>
            new Measurement<long>(byStatus.GetValueOrDefault(status), new KeyValuePair<string, object?>("status", status)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.PollerEnabled) return;
        logger.LogInformation("Task poller {Instance} started", engine.InstanceId);
        using var timer = new PeriodicTimer(options.ScanInterval);
        do
        {
            try
            {
                // A full batch means more may be due: go again without waiting.
                while (await engine.PollDueAsync(stoppingToken) >= options.BatchSize && !stoppingToken.IsCancellationRequested)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Task poll pass failed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
