using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Tasks;

/// <summary>Polls due tasks on every instance; the leases in <see cref="TaskStore"/> keep instances off each other's tasks.</summary>
public sealed class TaskPoller(TaskEngine engine, TaskOptions options, ILogger<TaskPoller> logger) : BackgroundService
{
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
