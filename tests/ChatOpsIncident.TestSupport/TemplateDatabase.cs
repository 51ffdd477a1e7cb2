using System.Security.Cryptography;
using ChatOpsIncident.Postgres;
using ChatOpsIncident.Postgres.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ChatOpsIncident.TestSupport;

/// <summary>
/// The migrated database every <see cref="TestDatabase"/> is copied from (<c>CREATE DATABASE … TEMPLATE</c>), made
/// once per server: the test projects run as parallel processes, so the first one to get here builds it under an
/// advisory lock and the others find it ready. Its name carries a hash of the migration scripts, so a server that
/// outlives a run (a developer's own CHATOPS_TEST_PG) never hands out a database of an older schema.
/// </summary>
internal static class TemplateDatabase
{
    // Arbitrary but fixed: "tmplate" as a 64-bit advisory lock key (apart from the migrator's and Hangfire's).
    private const long LockKey = 0x74_6d_70_6c_61_74_65;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _ready;

    public static string Name { get; } = "chatops_template_" + ScriptsHash();

    public static async Task<string> EnsureAsync(string adminConnectionString, CancellationToken ct)
    {
        if (Volatile.Read(ref _ready) is { } ready)
        {
            return ready;
        }

        await Gate.WaitAsync(ct);
        try
        {
            if (_ready is null)
            {
                await BuildOnceAsync(adminConnectionString, ct);
                Volatile.Write(ref _ready, Name);
            }

            return Name;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task BuildOnceAsync(string adminConnectionString, CancellationToken ct)
    {
        await using var admin = new NpgsqlConnection(adminConnectionString);
        await admin.OpenAsync(ct);
        await ExecuteAsync(admin, $"SELECT pg_advisory_lock({LockKey})", ct);
        try
        {
            // Marked a template only once complete: a run killed half-way leaves a database that is rebuilt, not copied.
            await using (var check = new NpgsqlCommand("SELECT datistemplate FROM pg_database WHERE datname = @name", admin))
            {
                check.Parameters.AddWithValue("name", Name);
                if (await check.ExecuteScalarAsync(ct) is true)
                {
                    return;
                }
            }

            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", ct);
            await ExecuteAsync(admin, $"CREATE DATABASE {Name}", ct);

            // No pooling: a copy is refused while any session is connected to the template, so none may linger.
            var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = Name, Pooling = false }.ConnectionString;
            await using (var dataSource = NpgsqlDataSource.Create(connectionString))
            {
                var migrator = new DatabaseMigrator(dataSource, new PostgresConnection(connectionString), NullLogger<DatabaseMigrator>.Instance);
                await migrator.MigrateAsync(ct);
            }

            await ExecuteAsync(admin, $"ALTER DATABASE {Name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", ct);
        }
        finally
        {
            await ExecuteAsync(admin, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first 12 hex digits of a SHA-256 over the embedded migration scripts, names and contents.</summary>
    private static string ScriptsHash()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Migrations.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            hash.AppendData(buffer.ToArray());
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }
}
