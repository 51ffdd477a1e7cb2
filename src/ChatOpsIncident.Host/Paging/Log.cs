namespace ChatOpsIncident.Host;

internal static partial class Log
{
    [LoggerMessage(EventId = HostEventId.PageRouteUnconfigured, Level = LogLevel.Information, Message = "No pager routing key for {Route}: the {Action} event is not sent")]
    public static partial void PageRouteUnconfigured(ILogger logger, string route, string action);

    [LoggerMessage(EventId = HostEventId.MergeArchivePlanned, Level = LogLevel.Debug, Message = "Archiving the channel of merged incident {Incident} at {At:o}")]
    public static partial void MergeArchivePlanned(ILogger logger, string incident, DateTimeOffset at);

    [LoggerMessage(EventId = HostEventId.MergeArchiveNotPlanned, Level = LogLevel.Error, Message = "The channel archive of merged incident {Incident} could not be scheduled; its channel stays open")]
    public static partial void MergeArchiveNotPlanned(ILogger logger, Exception exception, string incident);

    [LoggerMessage(EventId = HostEventId.MergeArchiveSkipped, Level = LogLevel.Information, Message = "Incident {IncidentId} is no longer merged (or gone): its channel is not archived")]
    public static partial void MergeArchiveSkipped(ILogger logger, Guid incidentId);
}
