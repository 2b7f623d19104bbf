using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Ihui.Features.Story.TextToImage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Story.Shared;

/// <summary>
/// Removes what the story platform keeps for a time only: conversation messages older than
/// <c>STORY_HISTORY_RETENTION_DAYS</c> (the seed keeps history 30 days) and finished t2i tasks older than their 24 hours
/// (the route answers 404 by then; the images they copied stay in the image store, being the user's).
/// </summary>
public sealed class RetentionSweeper(ConversationStore conversations, TaskStore tasks, StoryChatSettings settings, TimeProvider clock,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    private const int Batch = 1000;

    /// <summary>One sweep: deletes in batches until nothing past its retention is left; returns how many rows went.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var messages = await DrainAsync(cutoff => conversations.SweepAsync(cutoff, Batch, ct), now - settings.Retention);
        var t2i = await DrainAsync(cutoff => tasks.DeleteFinishedAsync(OpenAiImageTaskVendor.KindName, SubmitTextToImageRequest.Route, cutoff, Batch, ct),
            now - TextToImageTaskView.Retention);
        if (messages + t2i > 0) logger.LogInformation("Retention sweep removed {Messages} messages and {Tasks} t2i tasks", messages, t2i);
        return messages + t2i;
    }

    private static async Task<int> DrainAsync(Func<DateTime, Task<int>> delete, DateTime cutoff)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await delete(cutoff);
            total += deleted;
        } while (deleted == Batch);
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
                logger.LogError(e, "Retention sweep failed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
