using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Story.Shared;

/// <summary>Removes conversation messages older than <c>STORY_HISTORY_RETENTION_DAYS</c> (the seed keeps history 30 days).</summary>
public sealed class HistorySweeper(ConversationStore conversations, StoryChatSettings settings, TimeProvider clock, ILogger<HistorySweeper> logger)
    : BackgroundService
{
    private const int Batch = 1000;

    /// <summary>One sweep: deletes in batches until nothing older than the retention is left; returns how many went.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - settings.Retention;
        var total = 0;
        int deleted;
        do
        {
            deleted = await conversations.SweepAsync(cutoff, Batch, ct);
            total += deleted;
        } while (deleted == Batch);
        if (total > 0) logger.LogInformation("History sweep removed {Count} messages older than {Cutoff}", total, cutoff);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.SweepInterval);
        do
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "History sweep failed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
