using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Postgres.Conversations;
using ChatOpsIncident.Postgres.Inbox;
using ChatOpsIncident.Postgres.Incidents;
using ChatOpsIncident.Postgres.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ChatOpsIncident.Postgres;

/// <summary>The connection string, kept out of logs: <see cref="ToString"/> never prints it.</summary>
public sealed record PostgresConnection(string ConnectionString)
{
    public const string Name = "Incidents";

    public override string ToString() => "PostgresConnection(***)";
}

public static class PostgresServiceCollectionExtensions
{
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(PostgresConnection.Name);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ConfigurationException($"ConnectionStrings:{PostgresConnection.Name} is required (a PostgreSQL connection string).");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"ConnectionStrings:{PostgresConnection.Name} is not a valid PostgreSQL connection string: {ex.Message}");
        }

        return services.AddPostgresStore(connectionString);
    }

    public static IServiceCollection AddPostgresStore(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(new PostgresConnection(connectionString));
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<IIncidentStore, PostgresIncidentStore>();
        services.AddSingleton<IConversationStore, PostgresConversationStore>();
        services.AddSingleton<IInbox, PostgresInbox>();
        services.AddSingleton<PostgresOutbox>();
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<PostgresOutbox>());
        services.AddSingleton<IDeliveryLog>(sp => sp.GetRequiredService<PostgresOutbox>());
        return services;
    }
}
