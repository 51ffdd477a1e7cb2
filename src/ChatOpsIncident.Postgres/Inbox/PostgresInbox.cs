using ChatOpsIncident.Core.Inbox;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Inbox;

internal sealed class PostgresInbox(NpgsqlDataSource dataSource) : IInbox
{
    private readonly LeaseQueue _queue = new(
        dataSource,
        "chatops.inbox",
        "q.id, q.platform, q.delivery_id, q.kind, q.payload, q.attempts, q.received_at, q.order_key, q.trace_parent",
        "o.order_key IS NOT NULL AND p.order_key = o.order_key");

    public async Task<bool> EnqueueAsync(string platform, string deliveryId, string kind, string payload, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.inbox (platform, delivery_id, kind, payload, trace_parent)
            VALUES (@platform, @deliveryId, @kind, @payload, @traceParent)
            ON CONFLICT (platform, delivery_id) DO NOTHING
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { platform, deliveryId, kind, payload, traceParent = TraceContext.Current() }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<bool>> EnqueueManyAsync(IReadOnlyList<InboxDelivery> deliveries, CancellationToken ct)
    {
        // One statement, one commit for the whole group: the commit (fsync) is what a durable ack costs.
        const string Sql = """
            INSERT INTO chatops.inbox (platform, delivery_id, kind, payload, order_key, trace_parent)
            SELECT * FROM unnest(@platforms::text[], @ids::text[], @kinds::text[], @payloads::text[], @orderKeys::text[], @traceParents::text[])
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
            orderKeys = deliveries.Select(d => d.OrderKey).ToArray(),
            traceParents = deliveries.Select(d => d.TraceParent).ToArray(),
        }, cancellationToken: ct))).ToHashSet();
        // A key twice in one group: the first occurrence is the one stored.
        return deliveries.Select(d => inserted.Remove((d.Platform, d.DeliveryId))).ToList();
    }

    public async Task<IReadOnlyList<InboxItem>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct)
    {
        var rows = await _queue.ClaimAsync<InboxRow>(max, lease, r => r.Id, ct);
        return rows.Select(r => new InboxItem(r.Id, r.Platform, r.DeliveryId, r.Kind, r.Payload, r.Attempts, Utc.From(r.ReceivedAt))
        {
            Claim = r.Claim,
            OrderKey = r.OrderKey,
            TraceParent = r.TraceParent,
        }).ToList();
    }

    public async Task<bool> CompleteAsync(long id, Guid claim, CancellationToken ct)
    {
        const string Sql = """
            UPDATE chatops.inbox SET status = 'done', completed_at = now(), last_error = NULL, claim_token = NULL
            WHERE id = @id AND claim_token = @claim AND status = 'pending'
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, claim }, cancellationToken: ct)) == 1;
    }

    public async Task CompleteManyAsync(IReadOnlyList<(long Id, Guid Claim)> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return;
        }

        const string Sql = """
            UPDATE chatops.inbox q SET status = 'done', completed_at = now(), last_error = NULL, claim_token = NULL
            FROM unnest(@ids::bigint[], @claims::uuid[]) AS held(id, claim)
            WHERE q.id = held.id AND q.claim_token = held.claim AND q.status = 'pending'
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { ids = items.Select(i => i.Id).ToArray(), claims = items.Select(i => i.Claim).ToArray() }, cancellationToken: ct));
    }

    public Task<bool> FailAsync(long id, Guid claim, string error, TimeSpan retryAfter, bool dead, CancellationToken ct) =>
        _queue.FailAsync(id, claim, error, retryAfter, dead, ct);

    public Task<IReadOnlySet<long>> RenewAsync(IReadOnlyList<(long Id, Guid Claim)> items, TimeSpan lease, CancellationToken ct) =>
        _queue.RenewAsync(items, lease, ct);

    public Task ReleaseAsync(IReadOnlyList<(long Id, Guid Claim)> items, CancellationToken ct) => _queue.ReleaseAsync(items, ct);

    public Task GiveBackAsync(IReadOnlyList<(long Id, Guid Claim)> items, CancellationToken ct) => _queue.GiveBackAsync(items, ct);
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
    public string? OrderKey { get; set; }
    public string? TraceParent { get; set; }
    public Guid Claim { get; set; }
}
