using ChatOpsIncident.Postgres.Clock;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// Keeps <see cref="DatabaseClock"/> on the database's time: measured at start and every few minutes (drift between
/// NTP corrections is slow; a failed measurement keeps the last offset and is tried again at the next tick).
/// </summary>
internal sealed class DatabaseClockSync(DatabaseClock clock, ILogger<DatabaseClockSync> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    // Below this the offset is noise (a round trip on a loaded box); above it, a replica's clock is worth a line.
    private static readonly TimeSpan Notable = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        do
        {
            try
            {
                var offset = await clock.SyncAsync(stoppingToken);
                if (offset.Duration() >= Notable)
                {
                    Log.ClockOffset(logger, offset);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ClockSyncFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
