namespace ChatOpsIncident.Host;

internal static partial class Log
{
    [LoggerMessage(EventId = HostEventId.PageRouteUnconfigured, Level = LogLevel.Information, Message = "No pager routing key for {Route}: the {Action} event is not sent")]
    public static partial void PageRouteUnconfigured(ILogger logger, string route, string action);

    [LoggerMessage(EventId = HostEventId.MergeArchivePlanned, Level = LogLevel.Debug, Message = "Archiving the channel of merged incident {Incident} at {At:o}")]
    public static partial void MergeArchivePlanned(ILogger logger, string incident, DateTimeOffset at);
}
