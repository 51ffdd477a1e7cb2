using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ChatOpsIncident.Postgres.Schema;

/// <summary>
/// Applies the embedded forward-only migrations. Hosts starting together serialize on a PostgreSQL advisory lock,
/// so exactly one applies each script and the others find it journaled.
/// </summary>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, PostgresConnection connection, ILogger<DatabaseMigrator> logger)
{
    // Arbitrary but fixed: "chatops" as a 64-bit advisory lock key.
    private const long LockKey = 0x63_68_61_74_6f_70_73;
    private static readonly Assembly Scripts = typeof(DatabaseMigrator).Assembly;

    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(ct);
        await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", lockConnection))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }

        try
        {
            await using (var cmd = new NpgsqlCommand("CREATE SCHEMA IF NOT EXISTS chatops", lockConnection))
            {
                await cmd.ExecuteNonQueryAsync(ct);
            }

            var result = Upgrader().PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Database migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
            }

            var applied = result.Scripts.Count();
            Log.Migrated(logger, applied);
            return applied;
        }
        finally
        {
            await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", lockConnection);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>True when every embedded script is journaled (what /readyz checks).</summary>
    public bool IsUpToDate() => !Upgrader().IsUpgradeRequired();

    private UpgradeEngine Upgrader() =>
        DeployChanges.To
            .PostgresqlDatabase(connection.ConnectionString)
            .WithScriptsEmbeddedInAssembly(Scripts, name => name.Contains(".Migrations.", StringComparison.Ordinal))
            .JournalToPostgresqlTable("chatops", "schema_versions")
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();
}
