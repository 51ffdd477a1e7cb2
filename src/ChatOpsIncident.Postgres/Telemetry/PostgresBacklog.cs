using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Telemetry;

/// <summary>What the gauges show, read in one round trip: queue depths and open incidents per severity (counts only).</summary>
public sealed record BacklogSnapshot(
    long InboxPending,
    DateTimeOffset? OldestInboxPending,
    long InboxDead,
    long OutboxPending,
    long OutboxDead,
    IReadOnlyDictionary<string, long> OpenIncidentsBySeverity);

/// <summary>Reads the operational counts behind the host's gauges. Counts only: no title, id or payload leaves here.</summary>
public sealed class PostgresBacklog(NpgsqlDataSource dataSource)
{
    public async Task<BacklogSnapshot> ReadAsync(CancellationToken ct)
    {
        // The pending indexes (status = 'pending') keep the counts cheap; dead rows are few (retention keeps them).
        const string Sql = """
            SELECT
                (SELECT count(*) FROM chatops.inbox WHERE status = 'pending') AS inbox_pending,
                (SELECT min(received_at) FROM chatops.inbox WHERE status = 'pending') AS oldest_inbox_pending,
                (SELECT count(*) FROM chatops.inbox WHERE status = 'dead') AS inbox_dead,
                (SELECT count(*) FROM chatops.outbox WHERE status = 'pending') AS outbox_pending,
                (SELECT count(*) FROM chatops.outbox WHERE status = 'dead') AS outbox_dead;
            SELECT severity, count(*) FROM chatops.incidents
            WHERE status IN ('investigating', 'identified', 'monitoring') AND NOT drill
            GROUP BY severity;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(Sql, cancellationToken: ct));
        var queues = await grid.ReadSingleAsync<(long InboxPending, DateTime? OldestInboxPending, long InboxDead, long OutboxPending, long OutboxDead)>();
        var open = (await grid.ReadAsync<(string Severity, long Count)>()).ToDictionary(r => r.Severity, r => r.Count, StringComparer.Ordinal);
        return new BacklogSnapshot(
            queues.InboxPending,
            Utc.From(queues.OldestInboxPending),
            queues.InboxDead,
            queues.OutboxPending,
            queues.OutboxDead,
            open);
    }
}
