using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Postgres;

internal static partial class Log
{
    [LoggerMessage(EventId = PostgresEventId.Migrated, Level = LogLevel.Information, Message = "Database schema is current ({Applied} migration(s) applied now)")]
    public static partial void Migrated(ILogger logger, int applied);
}
