namespace ChatOpsIncident.Host;

internal static partial class Log
{
    [LoggerMessage(EventId = HostEventId.SchedulerReady, Level = LogLevel.Information, Message = "Scheduler ready (job server on this replica: {Enabled}; sweep '{Cron}')")]
    public static partial void SchedulerReady(ILogger logger, bool enabled, string cron);

    [LoggerMessage(EventId = HostEventId.WindowPlanned, Level = LogLevel.Debug, Message = "Planned the cadence window ending {WindowEnd:o} as job {JobId}")]
    public static partial void WindowPlanned(ILogger logger, DateTimeOffset windowEnd, string jobId);

    [LoggerMessage(EventId = HostEventId.PlanningFailed, Level = LogLevel.Warning, Message = "Planning cadence windows for {Count} due time(s) failed; the sweep will plan them")]
    public static partial void PlanningFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = HostEventId.WindowOverran, Level = LogLevel.Warning, Message = "The cadence window ending {WindowEnd:o} ran past its end; the sweep takes over")]
    public static partial void WindowOverran(ILogger logger, DateTimeOffset windowEnd);

    [LoggerMessage(EventId = HostEventId.Swept, Level = LogLevel.Information, Message = "Cadence sweep: {CaughtUp} incident(s) caught up, {Planned} window job(s) planned, {Actions} action reminder(s)")]
    public static partial void Swept(ILogger logger, int caughtUp, int planned, int actions);

    [LoggerMessage(EventId = HostEventId.DashboardLoginRefused, Level = LogLevel.Warning, Message = "Dashboard sign-in refused from {Remote}")]
    public static partial void DashboardLoginRefused(ILogger logger, string? remote);
}

internal static partial class Log
{
    [LoggerMessage(EventId = HostEventId.RetentionPurged, Level = LogLevel.Information, Message = "Retention purge: {Inbox} inbox, {Outbox} outbox and {Deliveries} delivery row(s) done more than {Retention} ago deleted")]
    public static partial void RetentionPurged(ILogger logger, int inbox, int outbox, int deliveries, TimeSpan retention);

    [LoggerMessage(EventId = HostEventId.WorkspaceRetentionPurged, Level = LogLevel.Information, Message = "Retention purge: {Messages} local-workspace message(s) untouched for more than {Retention} deleted")]
    public static partial void WorkspaceRetentionPurged(ILogger logger, int messages, TimeSpan retention);
}

internal static partial class Log
{
    [LoggerMessage(EventId = HostEventId.ClockOffset, Level = LogLevel.Warning, Message = "The database's clock is {Offset} ahead of this replica's (negative: behind); due times and 'now' follow the database")]
    public static partial void ClockOffset(ILogger logger, TimeSpan offset);

    [LoggerMessage(EventId = HostEventId.ClockSyncFailed, Level = LogLevel.Warning, Message = "Reading the database's clock failed; the last measured offset stays")]
    public static partial void ClockSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = HostEventId.AlertGroupsPurged, Level = LogLevel.Information, Message = "Retention purge: {Count} alert group(s) whose incident closed or that were dismissed more than {Retention} ago forgotten")]
    public static partial void AlertGroupsPurged(ILogger logger, int count, TimeSpan retention);
}
