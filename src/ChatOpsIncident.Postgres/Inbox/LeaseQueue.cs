using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Inbox;

/// <summary>
/// The lease protocol chatops.inbox and chatops.outbox share (columns status, available_at, attempts, last_error):
/// claim due items, or fail one for a retry or for good. Completing differs per table and stays with each.
/// </summary>
/// <param name="table">A table name from this project, never input: it is part of the SQL text.</param>
/// <param name="claimed">What a claim returns, columns of the alias <c>q</c>.</param>
internal sealed class LeaseQueue(NpgsqlDataSource dataSource, string table, string claimed)
{
    // SKIP LOCKED lets replicas claim disjoint batches; the lease (available_at in the future) hands the item
    // to another replica if this one dies before completing it.
    private readonly string _claim = $"""
        UPDATE {table} q SET available_at = now() + @lease
        FROM (
            SELECT id FROM {table}
            WHERE status = 'pending' AND available_at <= now()
            ORDER BY id
            LIMIT @max
            FOR UPDATE SKIP LOCKED
        ) due
        WHERE q.id = due.id
        RETURNING {claimed}
        """;

    private readonly string _fail = $"""
        UPDATE {table} SET attempts = attempts + 1, last_error = left(@error, 2000),
            status = CASE WHEN @dead THEN 'dead' ELSE 'pending' END, available_at = now() + @retryAfter
        WHERE id = @id
        """;

    /// <summary>Claims up to <paramref name="max"/> due items for <paramref name="lease"/>, in id order.</summary>
    public async Task<IReadOnlyList<T>> ClaimAsync<T>(int max, TimeSpan lease, Func<T, long> id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<T>(new CommandDefinition(_claim, new { max, lease }, cancellationToken: ct));
        // RETURNING keeps no order.
        return rows.OrderBy(id).ToList();
    }

    /// <summary>Counts a failed attempt: the item is retried after <paramref name="retryAfter"/>, or never when dead.</summary>
    public async Task FailAsync(long id, string error, TimeSpan retryAfter, bool dead, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(_fail, new { id, error, dead, retryAfter }, cancellationToken: ct));
    }
}
