namespace ChatOpsIncident.Host;

internal static partial class Log
{
    [LoggerMessage(EventId = HostEventId.DatabaseUnavailable, Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet (attempt {Attempt}): {Reason}")]
    public static partial void DatabaseUnavailable(ILogger logger, int attempt, string reason);

    [LoggerMessage(EventId = HostEventId.MigrationLockBusy, Level = LogLevel.Warning, Message = "Waiting for the migration lock (attempt {Attempt}): {Reason}")]
    public static partial void MigrationLockBusy(ILogger logger, int attempt, string reason);
}
