using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Data;

/// <summary>
/// Text means the same on both stores: SQLite compares text byte for byte (case and trailing spaces count), and so,
/// after this, does MySQL/MariaDB, whose default collations ignore case and trailing spaces (an upper-cased or
/// space-padded <c>user_uuid</c> or redeem code would match, <c>alice</c> and <c>Alice</c> would collide). After the
/// migrations, every text column of the schema that is not yet in the binary no-pad collation is converted to it
/// (<c>utf8mb4_nopad_bin</c> on MariaDB, <c>utf8mb4_0900_bin</c> on MySQL 8), so tables that later migrations add
/// are covered too. It runs at start-up; with nothing to convert it is one query.
/// </summary>
public static class ExactText
{
    /// <summary>Best first: the no-pad binary collations; <c>utf8mb4_bin</c> (MySQL 5.7) still ignores trailing spaces.</summary>
    private static readonly string[] Collations = ["utf8mb4_nopad_bin", "utf8mb4_0900_bin", "utf8mb4_bin"];

    public static async Task<string> EnsureAsync(DbConnection c, ILogger logger, CancellationToken ct = default)
    {
        var available = (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT COLLATION_NAME FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN @Collations",
            new { Collations }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        var collation = Collations.First(available.Contains);
        if (collation == "utf8mb4_bin")
            logger.LogWarning("This MySQL server has no no-pad binary collation: text compares with case but without trailing spaces");

        // Instances starting together on one database take turns; the second finds nothing left to convert.
        await c.ExecuteScalarAsync(new CommandDefinition("SELECT GET_LOCK('ihui_exact_text', 300)", cancellationToken: ct));
        try
        {
            var tables = (await c.QueryAsync<string>(new CommandDefinition(
                "SELECT DISTINCT col.TABLE_NAME FROM information_schema.COLUMNS col JOIN information_schema.TABLES t " +
                "ON t.TABLE_SCHEMA = col.TABLE_SCHEMA AND t.TABLE_NAME = col.TABLE_NAME " +
                "WHERE col.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' AND col.COLLATION_NAME IS NOT NULL " +
                "AND col.COLLATION_NAME <> @Collation AND col.TABLE_NAME <> 'schema_migrations' ORDER BY col.TABLE_NAME",
                new { Collation = collation }, cancellationToken: ct))).ToList();
            foreach (var table in tables)
                await c.ExecuteAsync(new CommandDefinition(
                    $"ALTER TABLE `{table.Replace("`", "``", StringComparison.Ordinal)}` CONVERT TO CHARACTER SET utf8mb4 COLLATE {collation}",
                    cancellationToken: ct));
            if (tables.Count > 0) logger.LogInformation("Text columns of {Tables} tables now compare exactly ({Collation})", tables.Count, collation);
        }
        finally
        {
            await c.ExecuteScalarAsync(new CommandDefinition("SELECT RELEASE_LOCK('ihui_exact_text')", cancellationToken: CancellationToken.None));
        }
        return collation;
    }
}
