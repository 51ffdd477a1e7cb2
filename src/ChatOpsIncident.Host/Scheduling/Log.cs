namespace ChatOpsIncident.Host;

internal static partial class Log
{
    [LoggerMessage(400, LogLevel.Information, "Scheduler ready (job server on this replica: {Enabled}; sweep '{Cron}')")]
    public static partial void SchedulerReady(ILogger logger, bool enabled, string cron);

    [LoggerMessage(401, LogLevel.Debug, "Planned the cadence window ending {WindowEnd:o} as job {JobId}")]
    public static partial void WindowPlanned(ILogger logger, DateTimeOffset windowEnd, string jobId);

    [LoggerMessage(402, LogLevel.Warning, "Planning cadence windows for {Count} due time(s) failed; the sweep will plan them")]
    public static partial void PlanningFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(403, LogLevel.Warning, "The cadence window ending {WindowEnd:o} ran past its end; the sweep takes over")]
    public static partial void WindowOverran(ILogger logger, DateTimeOffset windowEnd);

    [LoggerMessage(404, LogLevel.Information, "Cadence sweep: {CaughtUp} incident(s) caught up, {Planned} window job(s) planned, {Actions} action reminder(s)")]
    public static partial void Swept(ILogger logger, int caughtUp, int planned, int actions);

    [LoggerMessage(405, LogLevel.Warning, "Dashboard sign-in refused from {Remote}")]
    public static partial void DashboardLoginRefused(ILogger logger, string? remote);
}
