using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Postgres.Conversations;
using ChatOpsIncident.Postgres.Inbox;
using ChatOpsIncident.Postgres.Incidents;
using ChatOpsIncident.Postgres.Retention;
using ChatOpsIncident.Postgres.Schema;
using ChatOpsIncident.Postgres.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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
    /// <summary>The store on <c>ConnectionStrings:Incidents</c>, validated on start (missing or malformed stops start-up naming the key).</summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        return services.AddStore();
    }

    public static IServiceCollection AddPostgresStore(this IServiceCollection services, string connectionString)
    {
        services.AddOptions<PostgresOptions>().Configure(o => o.Incidents = connectionString).ValidateDataAnnotations().ValidateOnStart();
        return services.AddStore();
    }

    private static IServiceCollection AddStore(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<PostgresOptions>, PostgresOptionsValidator>();
        services.AddSingleton(sp => new PostgresConnection(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.Incidents!));
        services.AddSingleton(sp => new NpgsqlDataSourceBuilder(sp.GetRequiredService<PostgresConnection>().ConnectionString)
            // Statements become spans only inside a trace (a request, an inbox item, an outbox delivery): the workers'
            // polls every second would otherwise each start a trace of their own.
            .ConfigureTracing(t => t
                .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null)
                .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is not null)
                .EnableFirstResponseEvent(false))
            .Build());
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<IIncidentStore, PostgresIncidentStore>();
        services.AddSingleton<IConversationStore, PostgresConversationStore>();
        services.AddSingleton<IInbox, PostgresInbox>();
        services.AddSingleton<PostgresOutbox>();
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<PostgresOutbox>());
        services.AddSingleton<IPageLog, PostgresPageLog>();
        services.AddSingleton<IDeliveryLog>(sp => sp.GetRequiredService<PostgresOutbox>());
        services.AddSingleton<IRetentionStore, PostgresRetentionStore>();
        // Registered with the store it reads: IncidentService lists recent changes only where they are kept.
        services.AddSingleton<ChatOpsIncident.Core.Changes.IChangeStore, Changes.PostgresChangeStore>();
        services.AddSingleton<ChatOpsIncident.Core.Changes.RecentChanges>();
        services.AddSingleton<ChatOpsIncident.Core.Processing.IDeadLetterStore, PostgresDeadLetters>();
        services.AddSingleton<IWorkspaceStore, PostgresWorkspaceStore>();
        services.AddSingleton<Core.Alerts.IAlertGroupStore, Alerts.PostgresAlertGroupStore>();
        services.AddSingleton<DataProtection.PostgresDataProtectionKeys>();
        services.AddSingleton<Telemetry.PostgresBacklog>();
        return services;
    }
}
