using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Inbox;

/// <summary>
/// The fenced lease protocol chatops.inbox and chatops.outbox share (columns status, available_at, attempts,
/// last_error, claim_token): claim due items under a fresh token, renew, release or fail them while the token still
/// holds. Completing differs per table and stays with each, fenced the same way.
/// </summary>
/// <param name="table">A table name from this project, never input: it is part of the SQL text.</param>
/// <param name="claimed">What a claim returns, columns of the alias <c>q</c> (the claim token is added).</param>
/// <param name="olderOfSameKey">
/// A predicate over <c>o</c> (a candidate) and <c>p</c> (another pending row) true when p must go before o: the
/// claim skips a candidate while such a p is leased or waiting for its retry.
/// </param>
internal sealed class LeaseQueue(NpgsqlDataSource dataSource, string table, string claimed, string olderOfSameKey)
{
    // Claims take a transaction-level advisory lock per table, so two replicas never claim at once: each claim sees
    // the other's committed leases, and a key's next row cannot be claimed by one replica while the other claims
    // the row before it. Claims are one short statement, so serialising them costs little. Under the lock a row is
    // claimable when it is due and no older row of its key is pending but not due (leased or backing off); ORDER BY
    // id with LIMIT keeps what one batch takes a prefix of each key.
    private readonly string _claim = $"""
        UPDATE {table} q SET available_at = now() + @lease, attempts = q.attempts + 1, claim_token = gen_random_uuid()
        FROM (
            SELECT o.id FROM {table} o
            WHERE o.status = 'pending' AND o.available_at <= now()
              AND NOT EXISTS (
                  SELECT 1 FROM {table} p
                  WHERE p.status = 'pending' AND p.id < o.id AND p.available_at > now() AND ({olderOfSameKey}))
            ORDER BY o.id
            LIMIT @max
            FOR UPDATE SKIP LOCKED
        ) due
        WHERE q.id = due.id
        RETURNING {claimed}, q.claim_token AS claim
        """;

    // The attempt was counted at claim; a failure only records why and when to retry.
    private readonly string _fail = $"""
        UPDATE {table} SET last_error = left(@error, 2000), claim_token = NULL,
            status = CASE WHEN @dead THEN 'dead' ELSE 'pending' END, available_at = now() + @retryAfter
        WHERE id = @id AND claim_token = @claim AND status = 'pending'
        """;

    private readonly string _renew = $"""
        UPDATE {table} q SET available_at = now() + @lease
        FROM unnest(@ids::bigint[], @claims::uuid[]) AS held(id, claim)
        WHERE q.id = held.id AND q.claim_token = held.claim AND q.status = 'pending'
        RETURNING q.id
        """;

    private readonly string _release = $"""
        UPDATE {table} q SET available_at = now(), attempts = greatest(q.attempts - 1, 0), claim_token = NULL
        FROM unnest(@ids::bigint[], @claims::uuid[]) AS held(id, claim)
        WHERE q.id = held.id AND q.claim_token = held.claim AND q.status = 'pending'
        """;

    // A stopping host's claims: due at once, so its channels do not wait for the lease to lapse. The attempt stays
    // counted, because the item may have been mid-send: the next holder then checks whether it landed, and an item
    // that hangs every shutdown still dies after MaxAttempts.
    private readonly string _giveBack = $"""
        UPDATE {table} q SET available_at = now(), claim_token = NULL
        FROM unnest(@ids::bigint[], @claims::uuid[]) AS held(id, claim)
        WHERE q.id = held.id AND q.claim_token = held.claim AND q.status = 'pending'
        """;

    private readonly string _lock = $"SELECT pg_advisory_xact_lock(hashtext('{table}'))";

    /// <summary>Claims up to <paramref name="max"/> due items for <paramref name="lease"/>, in id order.</summary>
    public async Task<IReadOnlyList<T>> ClaimAsync<T>(int max, TimeSpan lease, Func<T, long> id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(_lock, transaction: tx, cancellationToken: ct));
        var rows = await conn.QueryAsync<T>(new CommandDefinition(_claim, new { max, lease }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        // RETURNING keeps no order.
        return rows.OrderBy(id).ToList();
    }

    /// <summary>Records a failed attempt while <paramref name="claim"/> holds the item; false when it no longer does.</summary>
    public async Task<bool> FailAsync(long id, Guid claim, string error, TimeSpan retryAfter, bool dead, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(_fail, new { id, claim, error, dead, retryAfter }, cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlySet<long>> RenewAsync(IReadOnlyList<(long Id, Guid Claim)> items, TimeSpan lease, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return new HashSet<long>();
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var ids = await conn.QueryAsync<long>(new CommandDefinition(_renew, Args(items, lease), cancellationToken: ct));
        return ids.ToHashSet();
    }

    public async Task ReleaseAsync(IReadOnlyList<(long Id, Guid Claim)> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return;
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(_release, Args(items, TimeSpan.Zero), cancellationToken: ct));
    }

    /// <summary>Gives held items back due at once, keeping the attempt their claim counted.</summary>
    public async Task GiveBackAsync(IReadOnlyList<(long Id, Guid Claim)> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return;
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(_giveBack, Args(items, TimeSpan.Zero), cancellationToken: ct));
    }

    private static object Args(IReadOnlyList<(long Id, Guid Claim)> items, TimeSpan lease) => new
    {
        ids = items.Select(i => i.Id).ToArray(),
        claims = items.Select(i => i.Claim).ToArray(),
        lease,
    };
}
