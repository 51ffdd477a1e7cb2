namespace ChatOpsIncident.Host;

internal static partial class Log
{
    [LoggerMessage(EventId = HostEventId.DatabaseUnavailable, Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet (attempt {Attempt}): {Reason}")]
    public static partial void DatabaseUnavailable(ILogger logger, int attempt, string reason);

    [LoggerMessage(EventId = HostEventId.SurfacesClosed, Level = LogLevel.Warning, Message = "The API, the pages and /hangfire are closed (401/403): set Api:Token (at least 32 characters) or Auth:Authority (OpenID Connect sign-in) to open them")]
    public static partial void SurfacesClosed(ILogger logger);

    [LoggerMessage(EventId = HostEventId.SignInRefused, Level = LogLevel.Warning, Message = "Web sign-in with a token refused from {Remote}")]
    public static partial void SignInRefused(ILogger logger, string? remote);

    [LoggerMessage(EventId = HostEventId.MigrationLockBusy, Level = LogLevel.Warning, Message = "Waiting for the migration lock (attempt {Attempt}): {Reason}")]
    public static partial void MigrationLockBusy(ILogger logger, int attempt, string reason);
}
