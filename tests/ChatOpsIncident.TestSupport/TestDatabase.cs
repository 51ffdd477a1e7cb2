using System.Globalization;
using System.Text.Json;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Postgres;
using ChatOpsIncident.Postgres.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace ChatOpsIncident.TestSupport;

/// <summary>
/// A fresh database on the PostgreSQL server the test command started (CHATOPS_TEST_PG). Each fixture gets its own
/// database so test classes can run in parallel; it fails, never skips, when the server is missing. It is copied from a
/// template migrated once per server (<see cref="TemplateDatabase"/>), so no test pays for the migrations again.
/// </summary>
/// <param name="fromTemplate">False for an empty database (the migrator's own tests).</param>
public sealed class TestDatabase(bool fromTemplate = true) : IAsyncLifetime
{
    public const string EnvironmentVariable = "CHATOPS_TEST_PG";

    private static readonly JsonSerializerOptions OutboxJson = new(JsonSerializerDefaults.Web);
    private readonly List<ServiceProvider> _providers = [];

    public string ConnectionString { get; private set; } = "";

    public string AdminConnectionString { get; } = AdminConnection();

    public string Name { get; } = "chatops_test_" + Guid.NewGuid().ToString("N")[..12];

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    internal static string AdminConnection() => Environment.GetEnvironmentVariable(EnvironmentVariable)
        ?? throw new InvalidOperationException($"{EnvironmentVariable} is not set: run the tests with ./test.sh, which starts PostgreSQL.");

    public async Task InitializeAsync()
    {
        var template = fromTemplate ? await TemplateDatabase.EnsureAsync(AdminConnectionString, CancellationToken.None) : null;
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand(template is null ? $"CREATE DATABASE {Name}" : $"CREATE DATABASE {Name} TEMPLATE {template}", admin);
            await cmd.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>Services of the store against this database, migrated.</summary>
    public async Task<ServiceProvider> MigratedStoreAsync(Action<IServiceCollection>? configure = null)
    {
        var provider = StoreServices(configure);
        if (!fromTemplate)
        {
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        }

        return provider;
    }

    /// <summary>
    /// Services of the store against this database, migrated unless it was made empty; they are
    /// disposed with the database, so a harness built on them needs no disposing of its own.
    /// </summary>
    public ServiceProvider StoreServices(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPostgresStore(ConnectionString);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        lock (_providers)
        {
            _providers.Add(provider);
        }

        return provider;
    }

    /// <summary>Applies the migrations (nothing to do on a copy of the template; DbUp finds every script journaled).</summary>
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
        if (result is null or DBNull)
        {
            return default;
        }

        // Convert.ChangeType knows no Nullable<T>: convert to the underlying type (ScalarAsync<long?> of a bigint).
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(result, type, CultureInfo.InvariantCulture);
    }

    /// <summary>The outbox as the dispatcher would deliver it, in the order it was queued; optionally only keys with a prefix.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> OutboxAsync(string? keyPrefix = null)
    {
        // The body is the whole message, serialized the way PostgresOutbox writes it and the dispatcher reads it back.
        await using var conn = await DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT body::text FROM chatops.outbox WHERE starts_with(key, @prefix) ORDER BY id", conn);
        cmd.Parameters.AddWithValue("prefix", keyPrefix ?? "");
        await using var reader = await cmd.ExecuteReaderAsync();
        var messages = new List<OutboxMessage>();
        while (await reader.ReadAsync())
        {
            messages.Add(JsonSerializer.Deserialize<OutboxMessage>(reader.GetString(0), OutboxJson)!);
        }

        return messages;
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
