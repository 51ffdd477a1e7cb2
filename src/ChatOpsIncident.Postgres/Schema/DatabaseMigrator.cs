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

    /// <summary>How long a host waits for another's migration before it says who holds the lock.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);

    public Task<int> MigrateAsync(CancellationToken ct) => MigrateAsync(DefaultLockTimeout, ct);

    /// <exception cref="MigrationLockTimeoutException">Another session held the lock longer than <paramref name="lockTimeout"/>.</exception>
    public async Task<int> MigrateAsync(TimeSpan lockTimeout, CancellationToken ct)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(ct);
        // lock_timeout bounds the advisory lock wait too: a stuck migrator elsewhere (or a session that forgot to unlock)
        // fails this start with a name instead of hanging it.
        var ms = Math.Max(1, (long)lockTimeout.TotalMilliseconds);
        await using (var cmd = new NpgsqlCommand($"SET lock_timeout = {ms}", lockConnection))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }

        try
        {
            await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", lockConnection);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            var holders = await LockHoldersAsync(ct);
            throw new MigrationLockTimeoutException(lockTimeout, holders, ex);
        }

        await using (var cmd = new NpgsqlCommand("SET lock_timeout = 0", lockConnection))
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
            _migrated = true;
            Log.Migrated(logger, applied);
            return applied;
        }
        finally
        {
            await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", lockConnection);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>The sessions holding the migration lock (pg_locks joined with pg_stat_activity), for the timeout's message.</summary>
    public async Task<IReadOnlyList<LockHolder>> LockHoldersAsync(CancellationToken ct)
    {
        // A bigint advisory key is stored as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
        const string Sql = """
            SELECT a.pid, a.application_name, host(a.client_addr), a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.classid = ((@key >> 32) & x'FFFFFFFF'::bigint)::bigint::oid
              AND l.objid = (@key & x'FFFFFFFF'::bigint)::bigint::oid
            ORDER BY a.backend_start
            """;
        var holders = new List<LockHolder>();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(Sql, conn);
        cmd.Parameters.AddWithValue("key", LockKey);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            holders.Add(new LockHolder(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return holders;
    }

    // Migrations only move forward, so "migrated" stays true once seen: later probes skip DbUp's journal scan.
    private volatile bool _migrated;

    /// <summary>True when every embedded script is journaled (what /readyz checks); cached once true.</summary>
    public bool IsUpToDate()
    {
        if (!_migrated && !Upgrader().IsUpgradeRequired())
        {
            _migrated = true;
        }

        return _migrated;
    }

    private UpgradeEngine Upgrader() =>
        DeployChanges.To
            .PostgresqlDatabase(connection.ConnectionString)
            .WithScriptsEmbeddedInAssembly(Scripts, name => name.Contains(".Migrations.", StringComparison.Ordinal))
            .JournalToPostgresqlTable("chatops", "schema_versions")
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();
}

/// <summary>A session holding the migration lock.</summary>
public sealed record LockHolder(int Pid, string? ApplicationName, string? ClientAddress, DateTimeOffset? BackendStart)
{
    public override string ToString() =>
        $"pid {Pid} ({(string.IsNullOrEmpty(ApplicationName) ? "no application_name" : ApplicationName)}, from {ClientAddress ?? "local socket"}, connected {BackendStart:o})";
}

/// <summary>The migration lock was not granted in time; the message names who holds it.</summary>
public sealed class MigrationLockTimeoutException(TimeSpan timeout, IReadOnlyList<LockHolder> holders, Exception inner)
    : Exception(Describe(timeout, holders), inner)
{
    public IReadOnlyList<LockHolder> Holders { get; } = holders;

    private static string Describe(TimeSpan timeout, IReadOnlyList<LockHolder> holders) =>
        $"The migration lock was not granted within {timeout}: " + (holders.Count == 0
            ? "its holder released it meanwhile"
            : "held by " + string.Join("; ", holders));
}
