using ChatOpsIncident.Core.Changes;
using ChatOpsIncident.Core.Storage;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Changes;

/// <summary>Change events in <c>chatops.change_events</c>, read by when they happened with a keyset on (occurred_at, id).</summary>
internal sealed class PostgresChangeStore(NpgsqlDataSource dataSource) : IChangeStore
{
    private const string Insert = """
        INSERT INTO chatops.change_events (kind, service, summary, author, url, occurred_at)
        VALUES (@Kind, @Service, @Summary, @Author, @Url, @OccurredAt)
        RETURNING id, recorded_at
        """;

    private const string Since = """
        SELECT id AS Id, kind AS Kind, service AS Service, summary AS Summary, author AS Author, url AS Url,
               occurred_at AS OccurredAt, recorded_at AS RecordedAt
        FROM chatops.change_events
        WHERE occurred_at >= @since
          AND (@afterAt::timestamptz IS NULL OR (occurred_at, id) > (@afterAt, @afterId))
        ORDER BY occurred_at, id
        LIMIT @limit
        """;

    public async Task<ChangeEvent> AddAsync(ChangeEvent change, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<(long Id, DateTime RecordedAt)>(new CommandDefinition(
            Insert, new { change.Kind, change.Service, change.Summary, change.Author, change.Url, OccurredAt = Utc.To(change.OccurredAt) }, cancellationToken: ct));
        return change with { Id = row.Id, RecordedAt = Utc.From(row.RecordedAt) };
    }

    public async Task<IReadOnlyList<ChangeEvent>> ListSinceAsync(DateTimeOffset since, PageCursor? after, int limit, CancellationToken ct)
    {
        // The cursor carries the time as well as the id: a page continues even if its last change is gone since.
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ChangeRow>(new CommandDefinition(Since, new { since = Utc.To(since), afterAt = Utc.To(after?.At), afterId = after?.Id ?? 0, limit }, cancellationToken: ct));
        return rows.Select(r => new ChangeEvent(r.Id, r.Kind, r.Service, r.Summary, r.Author, r.Url, Utc.From(r.OccurredAt), Utc.From(r.RecordedAt))).ToList();
    }

    internal sealed class ChangeRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Service { get; init; } = "";
        public string Summary { get; init; } = "";
        public string? Author { get; init; }
        public string? Url { get; init; }
        public DateTime OccurredAt { get; init; }
        public DateTime RecordedAt { get; init; }
    }
}
