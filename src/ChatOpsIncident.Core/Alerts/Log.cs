using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core.Alerts;

internal static partial class Log
{
    [LoggerMessage(EventId = CoreEventId.AlertDeclared, Level = LogLevel.Information, Message = "Alert group {GroupKey} from {Source} declared {Incident}")]
    public static partial void AlertDeclared(ILogger logger, string incident, string source, string groupKey);

    [LoggerMessage(EventId = CoreEventId.AlertCardQueued, Level = LogLevel.Information, Message = "Queued a feed card for {Count} alert group(s)")]
    public static partial void CardQueued(ILogger logger, int count);

    [LoggerMessage(EventId = CoreEventId.AlertNoPlatform, Level = LogLevel.Warning, Message = "An alert from {Source} should declare, but no chat platform is configured (see Alerts:Platform)")]
    public static partial void NoPlatform(ILogger logger, string source);

    [LoggerMessage(EventId = CoreEventId.AlertCardFlushFailed, Level = LogLevel.Warning, Message = "Posting waiting alert cards failed; retrying")]
    public static partial void CardFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = CoreEventId.AlertEntryRefused, Level = LogLevel.Information, Message = "Alert entry ({What}) not added to incident {IncidentId}: {Reason}")]
    public static partial void EntryRefused(ILogger logger, string what, Guid incidentId, string reason);
}
