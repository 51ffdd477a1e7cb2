using ChatOpsIncident.Core.Storage;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Retention;

/// <summary>
/// Purges done work rows. Ages are measured by the database's clock (<c>now()</c>, the clock that stamped
/// <c>completed_at</c>), and each statement deletes one bounded batch so the purge never holds long locks on the queue.
/// Pending, leased and dead rows are never touched: only what is done is old news.
/// </summary>
internal sealed class PostgresRetentionStore(NpgsqlDataSource dataSource) : IRetentionStore
{
    private const string PurgeInbox = """
        DELETE FROM chatops.inbox WHERE id IN (
            SELECT id FROM chatops.inbox WHERE status = 'done' AND completed_at < now() - @retention LIMIT @batch)
        """;

    private const string PurgeOutbox = """
        DELETE FROM chatops.outbox WHERE id IN (
            SELECT id FROM chatops.outbox WHERE status = 'done' AND completed_at < now() - @retention LIMIT @batch)
        """;

    private const string PurgeDeliveries = """
        DELETE FROM chatops.deliveries WHERE key IN (
            SELECT key FROM chatops.deliveries WHERE at < now() - @retention LIMIT @batch)
        """;

    // An alert group is forgotten once its incident is closed (or ended as declined, merged or cancelled), or it was
    // dismissed or ignored (or its episode ended undeclared), longer ago than the retention, and it has not fired
    // since: a group still firing keeps its row, so a dismissed one is not asked about again.
    private const string PurgeAlertGroups = """
        DELETE FROM chatops.alert_groups WHERE id IN (
            SELECT g.id FROM chatops.alert_groups g
            LEFT JOIN chatops.incidents i ON i.id = g.incident_id
            WHERE g.last_seen_at < now() - @retention
              AND ((g.incident_id IS NOT NULL AND (i.closed_at < now() - @retention OR i.status IN ('declined', 'merged', 'cancelled')))
                OR (g.incident_id IS NULL AND g.state IN ('dismissed', 'ignored', 'new')))
            LIMIT @batch)
        """;

    // The local workspace's messages (their reactions go with them, ON DELETE CASCADE): a message nobody posted, edited
    // or reacted to within the window is old news like a done delivery. A card the bot still updates (an open
    // incident's kickoff) is edited on every change, so it stays. The workspace's inbox rows are the inbox's own.
    private const string PurgeWorkspaceMessages = """
        DELETE FROM chatops.sandbox_messages WHERE id IN (
            SELECT m.id FROM chatops.sandbox_messages m
            WHERE coalesce(m.edited_at, m.posted_at) < now() - @retention
              AND NOT EXISTS (SELECT 1 FROM chatops.sandbox_reactions r WHERE r.message_id = m.id AND r.reacted_at >= now() - @retention)
            LIMIT @batch)
        """;

    public async Task<RetentionPurge> PurgeAsync(TimeSpan retention, int batchSize, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var inbox = await DrainAsync(conn, PurgeInbox, retention, batchSize, ct);
        var outbox = await DrainAsync(conn, PurgeOutbox, retention, batchSize, ct);
        var deliveries = await DrainAsync(conn, PurgeDeliveries, retention, batchSize, ct);
        var alertGroups = await DrainAsync(conn, PurgeAlertGroups, retention, batchSize, ct);
        var workspace = await DrainAsync(conn, PurgeWorkspaceMessages, retention, batchSize, ct);
        return new RetentionPurge(inbox, outbox, deliveries) { AlertGroups = alertGroups, WorkspaceMessages = workspace };
    }

    private static async Task<int> DrainAsync(NpgsqlConnection conn, string sql, TimeSpan retention, int batchSize, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var deleted = await conn.ExecuteAsync(new CommandDefinition(sql, new { retention, batch = Math.Max(1, batchSize) }, cancellationToken: ct));
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }
}
