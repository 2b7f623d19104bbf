using System.Data.Common;

namespace Ihui.Features.Common.Data;

/// <summary>
/// MySQL: a write whose SQL carries its own <c>START TRANSACTION … COMMIT</c>, sent as one batch on a write connection of
/// its own. The transaction then costs one round trip, and its row locks are held only while the server runs the batch,
/// not across round trips and the waits of the thread that sends them. A failed batch is rolled back (a statement that
/// fails stops the batch with the transaction still open); a deadlock victim runs again.
/// </summary>
public sealed class MySqlOneTripBatch(DbConnectionFactory connections)
{
    public Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default)
    {
        if (connections.Dialect != SqlDialect.MySql) throw new InvalidOperationException("one-trip writes are MySQL's");
        return MySqlTransientRetry.RunAsync(async () =>
        {
            await using var c = await connections.OpenWriteAsync(ct);
            try
            {
                return await work(c);
            }
            catch (Exception)
            {
                await RollbackQuietlyAsync(c);
                throw;
            }
        }, ct);
    }

    private static async Task RollbackQuietlyAsync(DbConnection c)
    {
        try
        {
            await using var rollback = c.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        catch (Exception)
        {
            // A broken connection is not returned to use: the server rolls its transaction back when it goes.
        }
    }
}
