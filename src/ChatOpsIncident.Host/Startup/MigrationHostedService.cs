using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Postgres.Schema;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatOpsIncident.Host.Startup;

/// <summary>Brings the schema up to date before the workers start; waits for the database for a while.</summary>
internal sealed class MigrationHostedService(DatabaseMigrator migrator, IOptions<DatabaseOptions> options, ILogger<MigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.StartupTimeout;
        var started = TimeProvider.System.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await migrator.MigrateAsync(options.Value.MigrationLockTimeout, cancellationToken);
                return;
            }
            catch (MigrationLockTimeoutException ex) when (TimeProvider.System.GetUtcNow() - started < timeout)
            {
                // Another replica is migrating (or a session kept the lock): say who, then wait for it again.
                Log.MigrationLockBusy(logger, attempt, ex.Message);
            }
            catch (MigrationLockTimeoutException ex)
            {
                throw new ConfigurationException(ex.Message);
            }
            catch (NpgsqlException ex) when (TimeProvider.System.GetUtcNow() - started < timeout)
            {
                Log.DatabaseUnavailable(logger, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                throw new ConfigurationException($"PostgreSQL is unreachable with ConnectionStrings:Incidents ({ex.Message})");
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class MigrationServiceCollectionExtensions
{
    /// <summary>Registered before the workers so the schema exists when they start.</summary>
    public static IServiceCollection AddDatabaseMigration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        foreach (var d in hosted)
        {
            services.Remove(d);
        }

        services.AddHostedService<MigrationHostedService>();
        foreach (var d in hosted)
        {
            services.Add(d);
        }

        return services;
    }
}
