using ChatOpsIncident.Core.Configuration;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// Runs after the chatops migrations and before Hangfire's server: installs or upgrades the <c>hangfire</c> schema
/// (replicas starting together take turns on an advisory lock), registers the recurring sweep and queues one sweep
/// now, so work that fell due while no host was running is posted right away.
/// </summary>
internal sealed class HangfireStartup(
    NpgsqlDataSource dataSource,
    IRecurringJobManager recurring,
    IBackgroundJobClient jobs,
    IOptions<SchedulingOptions> options,
    IOptions<RetentionOptions> retention,
    ILogger<HangfireStartup> logger) : IHostedService
{
    public const string Schema = "hangfire";
    public const string SweepJobId = "cadence-sweep";

    // Arbitrary but fixed: "hangfire" as a 64-bit advisory lock key.
    private const long LockKey = 0x68_61_6e_67_66_69_72_65;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var conn = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", conn))
            {
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            try
            {
                PostgreSqlObjectsInstaller.Install(conn, Schema);
            }
            finally
            {
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", conn);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }

        try
        {
            recurring.AddOrUpdate<CadenceJobs>(SweepJobId, j => j.SweepAsync(CancellationToken.None), options.Value.SweepCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"Scheduling:SweepCron '{options.Value.SweepCron}' is not a valid cron expression ({ex.Message})");
        }

        try
        {
            recurring.AddOrUpdate<RetentionJobs>(RetentionJobs.JobId, j => j.PurgeAsync(CancellationToken.None), retention.Value.RetentionCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"Processing:RetentionCron '{retention.Value.RetentionCron}' is not a valid cron expression ({ex.Message})");
        }

        if (options.Value.Enabled)
        {
            jobs.Enqueue<CadenceJobs>(j => j.SweepAsync(CancellationToken.None));
        }

        Log.SchedulerReady(logger, options.Value.Enabled, options.Value.SweepCron);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
