namespace ChatOpsIncident.Postgres;

/// <summary>
/// Every event id Postgres logs, in one table so ids never collide: this project owns 2000–2999
/// (Core 1xxx, Postgres 2xxx, Slack 3xxx, Teams 4xxx, Host 5xxx; Host.Tests' LogEventIdTests enforces it).
/// </summary>
internal static class PostgresEventId
{
    public const int Migrated = 2000;
}
