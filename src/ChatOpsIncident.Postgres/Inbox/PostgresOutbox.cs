using System.Text.Json;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Storage;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Inbox;

internal sealed class PostgresOutbox(NpgsqlDataSource dataSource) : IOutbox, IDeliveryLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly LeaseQueue _queue = new(
        dataSource,
        "chatops.outbox",
        "q.id, q.body::text AS body, q.attempts, q.created_at, q.trace_parent",
        // A private answer (respond) waits for the older posts of its channel, so it never arrives before what the
        // command posted; but no post waits for an answer: a hung response_url delays only its own answer. A direct
        // message is the same: a person who cannot be reached never holds up the incident channel.
        "p.platform = o.platform AND p.channel_id = o.channel_id AND p.operation NOT IN ('respond', 'dm')");

    internal static async Task InsertAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.outbox (key, incident_id, platform, operation, channel_id, body, trace_parent)
            VALUES (@Key, @IncidentId, @Platform, @Operation, @ChannelId, @Body::jsonb, @TraceParent)
            ON CONFLICT (key) DO NOTHING
            """;
        // Dapper runs the statement once per message, in order. The effects carry the trace of the work that queued
        // them, so their delivery continues it.
        var traceParent = TraceContext.Current();
        await conn.ExecuteAsync(new CommandDefinition(Sql, messages.Select(m => new
        {
            m.Key,
            IncidentId = m.IncidentId == Guid.Empty ? (Guid?)null : m.IncidentId,
            m.Platform,
            m.Operation,
            m.ChannelId,
            Body = JsonSerializer.Serialize(m, Json),
            TraceParent = traceParent,
        }).ToList(), tx, cancellationToken: ct));
    }

    public async Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await InsertAsync(conn, tx, messages, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<OutboxClaim>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct)
    {
        var rows = await _queue.ClaimAsync<(long Id, string Body, int Attempts, DateTime CreatedAt, string? TraceParent, Guid Claim)>(max, lease, r => r.Id, ct);
        return rows.Select(r => new OutboxClaim(r.Id, JsonSerializer.Deserialize<OutboxMessage>(r.Body, Json)!, r.Attempts, r.Claim, Utc.From(r.CreatedAt))
        {
            TraceParent = r.TraceParent,
        }).ToList();
    }

    public async Task<bool> CompleteAsync(long id, Guid claim, string? result, CancellationToken ct)
    {
        const string Sql = """
            UPDATE chatops.outbox SET status = 'done', completed_at = now(), result = @result, last_error = NULL, claim_token = NULL
            WHERE id = @id AND claim_token = @claim AND status = 'pending'
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, claim, result }, cancellationToken: ct)) == 1;
    }

    public Task<bool> FailAsync(long id, Guid claim, string error, TimeSpan retryAfter, bool dead, CancellationToken ct) =>
        _queue.FailAsync(id, claim, error, retryAfter, dead, ct);

    public Task<IReadOnlySet<long>> RenewAsync(IReadOnlyList<(long Id, Guid Claim)> rows, TimeSpan lease, CancellationToken ct) =>
        _queue.RenewAsync(rows, lease, ct);

    public Task ReleaseAsync(IReadOnlyList<(long Id, Guid Claim)> rows, CancellationToken ct) => _queue.ReleaseAsync(rows, ct);

    public Task GiveBackAsync(IReadOnlyList<(long Id, Guid Claim)> rows, CancellationToken ct) => _queue.GiveBackAsync(rows, ct);

    public async Task<string?> ResultAsync(string key, CancellationToken ct)
    {
        const string Sql = "SELECT result FROM chatops.outbox WHERE key = @key AND status = 'done'";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(Sql, new { key }, cancellationToken: ct));
    }

    public async Task<int?> SentVersionAsync(string key, CancellationToken ct)
    {
        const string Sql = "SELECT sent_version FROM chatops.outbox WHERE key = @key";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(Sql, new { key }, cancellationToken: ct));
    }

    public async Task RecordSentVersionAsync(string key, int version, CancellationToken ct)
    {
        // greatest: a late writer with an older version never lowers what the message is known to show.
        const string Sql = "UPDATE chatops.outbox SET sent_version = greatest(coalesce(sent_version, 0), @version) WHERE key = @key";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { key, version }, cancellationToken: ct));
    }

    public async Task<DeliveryRecord?> FindAsync(string key, CancellationToken ct)
    {
        const string Sql = "SELECT key, result, at FROM chatops.deliveries WHERE key = @key";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(string Key, string? Result, DateTime At)?>(new CommandDefinition(Sql, new { key }, cancellationToken: ct));
        return row is { } r ? new DeliveryRecord(r.Key, r.Result, Utc.From(r.At)) : null;
    }

    public async Task RecordAsync(string key, string? result, CancellationToken ct)
    {
        const string Sql = "INSERT INTO chatops.deliveries (key, result) VALUES (@key, @result) ON CONFLICT (key) DO NOTHING";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { key, result }, cancellationToken: ct));
    }
}
