namespace ChatOpsIncident.Host;

internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Warning, "PostgreSQL is not reachable yet (attempt {Attempt}): {Reason}")]
    public static partial void DatabaseUnavailable(ILogger logger, int attempt, string reason);
}
