using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Billing;

/// <summary>Releases holds left behind by a process that died between reserve and settle.</summary>
public sealed class HoldSweeper(Ledger ledger, ILogger<HoldSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var released = await ledger.ReleaseExpiredAsync(stoppingToken);
                if (released > 0) logger.LogWarning("Released {Count} expired holds", released);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Hold sweep failed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
