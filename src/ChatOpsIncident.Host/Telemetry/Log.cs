namespace ChatOpsIncident.Host.Telemetry;

internal static partial class Log
{
    [LoggerMessage(EventId = HostEventId.BacklogUnreadable, Level = LogLevel.Warning, Message = "The backlog gauges could not be read ({Error}: {Reason}); they report nothing until the next read")]
    public static partial void BacklogUnreadable(ILogger logger, string error, string reason);
}
