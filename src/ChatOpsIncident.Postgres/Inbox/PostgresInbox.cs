using ChatOpsIncident.Core.Inbox;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Inbox;

internal sealed class PostgresInbox(NpgsqlDataSource dataSource) : IInbox
{
    private readonly LeaseQueue _queue = new(dataSource, "chatops.inbox", "q.id, q.platform, q.delivery_id, q.kind, q.payload, q.attempts, q.received_at");

    public async Task<bool> EnqueueAsync(string platform, string deliveryId, string kind, string payload, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.inbox (platform, delivery_id, kind, payload)
            VALUES (@platform, @deliveryId, @kind, @payload)
            ON CONFLICT (platform, delivery_id) DO NOTHING
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { platform, deliveryId, kind, payload }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<bool>> EnqueueManyAsync(IReadOnlyList<InboxDelivery> deliveries, CancellationToken ct)
    {
        // One statement, one commit for the whole group: the commit (fsync) is what a durable ack costs.
        const string Sql = """
            INSERT INTO chatops.inbox (platform, delivery_id, kind, payload)
            SELECT * FROM unnest(@platforms::text[], @ids::text[], @kinds::text[], @payloads::text[])
            ON CONFLICT (platform, delivery_id) DO NOTHING
            RETURNING platform, delivery_id
            """;
        if (deliveries.Count == 0)
        {
            return [];
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var inserted = (await conn.QueryAsync<(string Platform, string DeliveryId)>(new CommandDefinition(Sql, new
        {
            platforms = deliveries.Select(d => d.Platform).ToArray(),
            ids = deliveries.Select(d => d.DeliveryId).ToArray(),
            kinds = deliveries.Select(d => d.Kind).ToArray(),
            payloads = deliveries.Select(d => d.Payload).ToArray(),
        }, cancellationToken: ct))).ToHashSet();
        // A key twice in one group: the first occurrence is the one stored.
        return deliveries.Select(d => inserted.Remove((d.Platform, d.DeliveryId))).ToList();
    }

    public async Task<IReadOnlyList<InboxItem>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct)
    {
        var rows = await _queue.ClaimAsync<InboxRow>(max, lease, r => r.Id, ct);
        return rows.Select(r => new InboxItem(r.Id, r.Platform, r.DeliveryId, r.Kind, r.Payload, r.Attempts, Utc.From(r.ReceivedAt))).ToList();
    }

    public async Task CompleteAsync(long id, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.inbox SET status = 'done', completed_at = now(), last_error = NULL WHERE id = @id";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { id }, cancellationToken: ct));
    }

    public async Task CompleteManyAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }

        const string Sql = "UPDATE chatops.inbox SET status = 'done', completed_at = now(), last_error = NULL WHERE id = ANY(@ids)";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { ids = ids.ToArray() }, cancellationToken: ct));
    }

    public Task FailAsync(long id, string error, TimeSpan retryAfter, bool dead, CancellationToken ct) =>
        _queue.FailAsync(id, error, retryAfter, dead, ct);
}

internal sealed class InboxRow
{
    public long Id { get; set; }
    public string Platform { get; set; } = "";
    public string DeliveryId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Payload { get; set; } = "";
    public int Attempts { get; set; }
    public DateTime ReceivedAt { get; set; }
}
