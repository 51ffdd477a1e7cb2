using ChatOpsIncident.Postgres.Telemetry;

namespace ChatOpsIncident.Host.Telemetry;

/// <summary>
/// Reads the backlog counts into <see cref="OperationsMetrics"/>: before each Prometheus scrape (so a scrape is never
/// staler than itself) and, when a push exporter is on, every <c>Telemetry:BacklogInterval</c>.
/// </summary>
internal sealed class BacklogSampler(PostgresBacklog backlog, OperationsMetrics metrics, ILogger<BacklogSampler> logger)
{
    public async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            metrics.Update(await backlog.ReadAsync(ct));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // No numbers rather than old numbers: a gauge that stops reporting is visible, a frozen one is not.
            metrics.Update(null);
            Log.BacklogUnreadable(logger, ex.GetType().Name, ex.Message);
        }
    }
}

/// <summary>Refreshes the backlog gauges on a timer, for exporters that push (OTLP).</summary>
internal sealed class BacklogRefresher(BacklogSampler sampler, Microsoft.Extensions.Options.IOptions<TelemetryOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.BacklogInterval, time);
        try
        {
            do
            {
                await sampler.RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
