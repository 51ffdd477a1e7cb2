using System.Text.Json;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Storage;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Inbox;

internal sealed class PostgresOutbox(NpgsqlDataSource dataSource) : IOutbox, IDeliveryLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static async Task InsertAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.outbox (key, incident_id, platform, operation, channel_id, body)
            VALUES (@Key, @IncidentId, @Platform, @Operation, @ChannelId, @Body::jsonb)
            ON CONFLICT (key) DO NOTHING
            """;
        foreach (var m in messages)
        {
            await conn.ExecuteAsync(new CommandDefinition(Sql, new
            {
                m.Key,
                IncidentId = m.IncidentId == Guid.Empty ? (Guid?)null : m.IncidentId,
                m.Platform,
                m.Operation,
                m.ChannelId,
                Body = JsonSerializer.Serialize(m, Json),
            }, tx, cancellationToken: ct));
        }
    }

    public async Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await InsertAsync(conn, tx, messages, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<(long Id, OutboxMessage Message, int Attempts)>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct)
    {
        const string Sql = """
            UPDATE chatops.outbox o SET available_at = now() + @lease
            FROM (
                SELECT id FROM chatops.outbox
                WHERE status = 'pending' AND available_at <= now()
                ORDER BY id
                LIMIT @max
                FOR UPDATE SKIP LOCKED
            ) due
            WHERE o.id = due.id
            RETURNING o.id, o.body::text AS body, o.attempts
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(long Id, string Body, int Attempts)>(new CommandDefinition(Sql, new { max, lease }, cancellationToken: ct));
        return rows.OrderBy(r => r.Id)
            .Select(r => (r.Id, JsonSerializer.Deserialize<OutboxMessage>(r.Body, Json)!, r.Attempts))
            .ToList();
    }

    public async Task CompleteAsync(long id, string? result, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.outbox SET status = 'done', completed_at = now(), result = @result, last_error = NULL WHERE id = @id";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, result }, cancellationToken: ct));
    }

    public async Task FailAsync(long id, string error, TimeSpan retryAfter, bool dead, CancellationToken ct)
    {
        const string Sql = """
            UPDATE chatops.outbox SET attempts = attempts + 1, last_error = left(@error, 2000),
                status = CASE WHEN @dead THEN 'dead' ELSE 'pending' END, available_at = now() + @retryAfter
            WHERE id = @id
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, error, dead, retryAfter }, cancellationToken: ct));
    }

    public async Task<string?> ResultAsync(string key, CancellationToken ct)
    {
        const string Sql = "SELECT result FROM chatops.outbox WHERE key = @key AND status = 'done'";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(Sql, new { key }, cancellationToken: ct));
    }

    public async Task<DeliveryRecord?> FindAsync(string key, CancellationToken ct)
    {
        const string Sql = "SELECT key, result, at FROM chatops.deliveries WHERE key = @key";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(string Key, string? Result, DateTime At)?>(new CommandDefinition(Sql, new { key }, cancellationToken: ct));
        return row is { } r ? new DeliveryRecord(r.Key, r.Result, new DateTimeOffset(DateTime.SpecifyKind(r.At, DateTimeKind.Utc))) : null;
    }

    public async Task RecordAsync(string key, string? result, CancellationToken ct)
    {
        const string Sql = "INSERT INTO chatops.deliveries (key, result) VALUES (@key, @result) ON CONFLICT (key) DO NOTHING";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { key, result }, cancellationToken: ct));
    }
}
