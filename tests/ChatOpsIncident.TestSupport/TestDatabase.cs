using ChatOpsIncident.Postgres;
using ChatOpsIncident.Postgres.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace ChatOpsIncident.TestSupport;

/// <summary>
/// A fresh database on the PostgreSQL server the test command started (CHATOPS_TEST_PG). Each fixture gets its own
/// database so test classes can run in parallel; it fails, never skips, when the server is missing.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public const string EnvironmentVariable = "CHATOPS_TEST_PG";

    public string ConnectionString { get; private set; } = "";

    public string AdminConnectionString { get; } = Environment.GetEnvironmentVariable(EnvironmentVariable)
        ?? throw new InvalidOperationException($"{EnvironmentVariable} is not set: run the tests with ./test.sh, which starts PostgreSQL.");

    public string Name { get; } = "chatops_test_" + Guid.NewGuid().ToString("N")[..12];

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {Name}", admin);
            await cmd.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>Services of the store against this database, migrated.</summary>
    public async Task<ServiceProvider> MigratedStoreAsync(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPostgresStore(ConnectionString);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return provider;
    }

    public async Task MigrateAsync()
    {
        var migrator = new DatabaseMigrator(DataSource, new PostgresConnection(ConnectionString), NullLogger<DatabaseMigrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
    }

    /// <summary>Empties the incident tables between tests (truncate, never mocks).</summary>
    public async Task ResetAsync()
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("""
            TRUNCATE chatops.incidents, chatops.roles, chatops.timeline, chatops.status_updates, chatops.actions,
                chatops.audit, chatops.checklist, chatops.inbox, chatops.outbox, chatops.deliveries CASCADE
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        var result = await cmd.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
