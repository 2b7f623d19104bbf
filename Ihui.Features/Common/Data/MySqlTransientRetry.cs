namespace Ihui.Features.Common.Data;

/// <summary>
/// MySQL: runs a write again, at once and up to three times, when InnoDB rolled it back as a deadlock victim or a lock
/// wait timed out (<see cref="DbErrors.IsDeadlockOrLockWait"/>): nothing of it stands. Longer troubles (no connection,
/// the server gone) are for the callers that must land, through <see cref="WriteRetry"/>.
/// </summary>
public static class MySqlTransientRetry
{
    public const int Attempts = 3;

    public static async Task<T> RunAsync<T>(Func<Task<T>> attempt, CancellationToken ct)
    {
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (n < Attempts && DbErrors.IsDeadlockOrLockWait(e))
            {
                await Task.Delay(Random.Shared.Next(1, 10) * n, ct);
            }
        }
    }
}
