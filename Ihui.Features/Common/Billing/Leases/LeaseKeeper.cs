using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Billing.Leases;

/// <summary>
/// The leases' background work: returns idle leases, renews this instance's lease rows (so only a dead instance's
/// rows expire), sweeps expired rows of any instance back to their balances, and at shutdown — after the server has
/// stopped taking requests — returns every lease in the transaction of the journal's last flush.
/// </summary>
public sealed class LeaseKeeper(LeaseBook book, LeaseStore store, BillingJournal journal, LeaseOptions options, ILogger<LeaseKeeper> logger)
    : BackgroundService, IHostedLifecycleService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(options.Idle.TotalMilliseconds / 2, options.Ttl.TotalMilliseconds / 6), 50, 1000));
        var renewEvery = options.Ttl / 4;
        var sweepEvery = options.Ttl / 2;
        var lastRenew = DateTime.UtcNow;
        var lastSweep = DateTime.MinValue;
        using var timer = new PeriodicTimer(tick);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await book.ReturnIdleAsync((long)options.Idle.TotalMilliseconds);
                if (DateTime.UtcNow - lastRenew >= renewEvery)
                {
                    await book.RenewAsync(stoppingToken);
                    lastRenew = DateTime.UtcNow;
                }
                if (DateTime.UtcNow - lastSweep >= sweepEvery)
                {
                    var swept = await store.SweepExpiredAsync(stoppingToken);
                    if (swept > 0) logger.LogWarning("Swept {Count} expired leases back to their balances", swept);
                    lastSweep = DateTime.UtcNow;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Lease upkeep failed");
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every hosted service has stopped (the server too): the leases go back, then the journal's last flush.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await book.ReturnAllAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(40), CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Returning the leases at shutdown failed; their rows expire and are swept back");
        }
        await journal.DisposeAsync();
    }
}
