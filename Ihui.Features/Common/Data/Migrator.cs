using Dapper;
using EvolveDb;
using EvolveDb.Dialect;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Data;

/// <summary>
/// Applies the versioned SQL migrations embedded under <c>Common/Data/Migrations/{sqlite|mysql}</c> at start-up.
/// Version ranges per area keep parallel work from colliding; out-of-order application is allowed.
/// </summary>
public sealed class Migrator(Db db, ILogger<Migrator> logger)
{
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        // The migrations write on a connection of their own, before anything else runs.
        await using var connection = await db.Connections.OpenWriteAsync(ct);
        if (db.Dialect == SqlDialect.Sqlite)
            // The page size only takes on a new, empty file (an existing database keeps its own; see the README).
            await connection.ExecuteAsync($"PRAGMA page_size={db.Options.PageSize}; PRAGMA journal_mode=WAL;");

        var folder = db.Dialect == SqlDialect.Sqlite ? "sqlite" : "mysql";
        var evolve = new Evolve(connection, msg => logger.LogDebug("{EvolveMessage}", msg),
            db.Dialect == SqlDialect.Sqlite ? DBMS.SQLite : DBMS.MySQL)
        {
            EmbeddedResourceAssemblies = [typeof(Migrator).Assembly],
            EmbeddedResourceFilters = [$"Ihui.Features.Common.Data.Migrations.{folder}"],
            IsEraseDisabled = true,
            OutOfOrder = true,
            MetadataTableName = "schema_migrations",
            EnableClusterMode = db.Dialect == SqlDialect.MySql,
        };
        evolve.Migrate();
        if (db.Dialect == SqlDialect.MySql) await ExactText.EnsureAsync(connection, logger, ct);
        logger.LogInformation("Database ready ({Dialect}, {Applied} migrations applied)", db.Dialect, evolve.NbMigration);
    }
}
