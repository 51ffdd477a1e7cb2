namespace ChatOpsIncident.Host.Alerts;

internal static partial class Log
{
    [LoggerMessage(EventId = HostEventId.AlertStored, Level = LogLevel.Information, Message = "Alert notification from {Source} for group {GroupKey} acknowledged (new: {Stored})")]
    public static partial void AlertStored(ILogger logger, string source, string groupKey, bool stored);

    [LoggerMessage(EventId = HostEventId.AlertRefused, Level = LogLevel.Warning, Message = "Alert notification for source {Source} refused with {Status}")]
    public static partial void AlertRefused(ILogger logger, string source, int status);

    [LoggerMessage(EventId = HostEventId.AlertNotStored, Level = LogLevel.Error, Message = "Alert notification from {Source} not stored in time ({Reason}); answered 503")]
    public static partial void AlertNotStored(ILogger logger, string source, string reason);
}
