using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core;

internal static partial class Log
{
    [LoggerMessage(EventId = CoreEventId.CadenceApplied, Level = LogLevel.Information, Message = "Cadence on {Incident}: {Done} (update due {Due})")]
    public static partial void CadenceApplied(ILogger logger, string incident, Cadence.CadenceDue done, DateTimeOffset? due);

    [LoggerMessage(EventId = CoreEventId.ActionsReminded, Level = LogLevel.Information, Message = "Reminded the owners of {Count} overdue follow-up action(s)")]
    public static partial void ActionsReminded(ILogger logger, int count);
}
