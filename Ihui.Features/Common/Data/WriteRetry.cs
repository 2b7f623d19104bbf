using Ihui.Features.Common.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Data;

/// <summary>
/// Runs a write that must land — a settlement, a refund, a task's terminal transition — again after a transient database
/// error (<see cref="DbErrors.IsTransient"/>), with a growing pause, until it does: money is never left in a hold because
/// the pool was exhausted or the server restarted for a moment. One warning line per retry. Only the process stopping
/// ends the retries (the last error is then thrown; a hold left behind is swept when it expires). The work is told
/// which attempt it is: a write that may have landed before its connection was lost checks before applying again.
/// </summary>
public sealed class WriteRetry(ILogger<WriteRetry> logger, IHostApplicationLifetime? lifetime = null)
{
    public static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    public async Task<T> UntilLandedAsync<T>(string what, string id, Func<int, Task<T>> attempt)
    {
        var stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
        var pause = FirstPause;
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt(n);
            }
            catch (Exception e) when (DbErrors.IsTransient(e) && !stopping.IsCancellationRequested)
            {
                logger.LogWarning("{What} of {Id} met a transient database error on attempt {Attempt}, retrying in {PauseMs} ms: {Error}",
                    what, id, n, (int)pause.TotalMilliseconds, SecretScrubber.Scrub(e.Message));
            }
            try
            {
                await Task.Delay(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 20)), stopping);
            }
            catch (OperationCanceledException)
            {
                // Stopping: one last attempt now.
            }
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    public Task UntilLandedAsync(string what, string id, Func<int, Task> attempt) =>
        UntilLandedAsync<bool>(what, id, async n => { await attempt(n); return true; });
}
