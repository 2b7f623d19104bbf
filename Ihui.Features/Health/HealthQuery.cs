using Dapper;
using Ihui.Features.Common.Data;
using Mediator;

namespace Ihui.Features.Health;

/// <summary>Seed 004's <c>GET /health</c>; also checks that the database answers.</summary>
public sealed record HealthQuery : IQuery<HealthReport>;

public sealed record HealthReport(bool Healthy, string Database, DateTime Timestamp);

public sealed class HealthHandler(Db db, TimeProvider clock) : IQueryHandler<HealthQuery, HealthReport>
{
    public async ValueTask<HealthReport> Handle(HealthQuery query, CancellationToken cancellationToken)
    {
        try
        {
            await using var c = await db.OpenAsync(cancellationToken);
            await c.ExecuteScalarAsync<int>("SELECT 1");
            return new HealthReport(true, "ok", clock.GetUtcNow().UtcDateTime);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthReport(false, "unreachable", clock.GetUtcNow().UtcDateTime);
        }
    }
}
