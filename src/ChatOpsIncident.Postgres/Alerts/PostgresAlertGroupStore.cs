using System.Text.Json;
using ChatOpsIncident.Core.Alerts;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Postgres.Inbox;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Alerts;

internal sealed class AlertGroupRow
{
    public Guid Id { get; set; }
    public string Source { get; set; } = "";
    public string GroupKey { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public string Status { get; set; } = "";
    public string State { get; set; } = "";
    public int Episode { get; set; }
    public Guid? IncidentId { get; set; }
    public string Action { get; set; } = "";
    public string? Severity { get; set; }
    public string? Type { get; set; }
    public string? Commander { get; set; }
    public DateTime? StartsAt { get; set; }
    public string Links { get; set; } = "[]";
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    public DateTime? LastTimelineAt { get; set; }
}

internal sealed class PostgresAlertGroupStore(NpgsqlDataSource dataSource) : IAlertGroupStore
{
    private const string Columns = """
        id, source, group_key, title, description, status, state, episode, incident_id, action, severity, type, commander,
        starts_at, links::text AS links, first_seen_at, last_seen_at, last_timeline_at
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<AlertGroup> UpsertAsync(AlertGroupSeen seen, CancellationToken ct)
    {
        const string Sql = $"""
            INSERT INTO chatops.alert_groups AS g (id, source, group_key, title, description, status, action, severity, type, commander, starts_at, links, first_seen_at, last_seen_at)
            VALUES (@id, @source, @groupKey, @title, @description, @status, @action, @severity, @type, @commander, @startsAt, @links::jsonb, @at, @at)
            ON CONFLICT (source, group_key) DO UPDATE SET
                title = EXCLUDED.title, description = EXCLUDED.description, status = EXCLUDED.status, action = EXCLUDED.action,
                severity = EXCLUDED.severity, type = EXCLUDED.type, commander = EXCLUDED.commander,
                starts_at = COALESCE(EXCLUDED.starts_at, g.starts_at), links = EXCLUDED.links, last_seen_at = EXCLUDED.last_seen_at
            RETURNING {Columns}
            """;
        var n = seen.Notification;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<AlertGroupRow>(new CommandDefinition(Sql, new
        {
            id = seen.NewId,
            source = seen.Source,
            groupKey = n.GroupKey,
            title = n.Title,
            description = n.Description,
            status = n.Status == AlertStatus.Resolved ? "resolved" : "firing",
            action = seen.Route.Action,
            severity = seen.Route.Severity,
            type = seen.Route.Type,
            commander = seen.Route.Commander,
            startsAt = n.StartsAt?.UtcDateTime,
            links = JsonSerializer.Serialize(n.Links, Json),
            at = seen.At.UtcDateTime,
        }, cancellationToken: ct));
        return Map(row);
    }

    public async Task<AlertGroup?> GetAsync(Guid id, CancellationToken ct)
    {
        const string Sql = $"SELECT {Columns} FROM chatops.alert_groups WHERE id = @id";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<AlertGroupRow>(new CommandDefinition(Sql, new { id }, cancellationToken: ct));
        return row is null ? null : Map(row);
    }

    public async Task<bool> TransitionAsync(Guid id, int episode, IReadOnlyList<string> from, string to, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.alert_groups SET state = @to WHERE id = @id AND episode = @episode AND state = ANY(@from)";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, episode, from = from.ToArray(), to }, cancellationToken: ct)) == 1;
    }

    public async Task LinkAsync(Guid id, int episode, Guid incidentId, DateTimeOffset now, CancellationToken ct)
    {
        const string Sql = """
            UPDATE chatops.alert_groups SET state = 'incident', incident_id = @incidentId, last_timeline_at = @now
            WHERE id = @id AND episode = @episode
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, episode, incidentId, now = now.UtcDateTime }, cancellationToken: ct));
    }

    public async Task<bool> TryTouchTimelineAsync(Guid id, DateTimeOffset now, TimeSpan interval, CancellationToken ct)
    {
        const string Sql = """
            UPDATE chatops.alert_groups SET last_timeline_at = @now
            WHERE id = @id AND (last_timeline_at IS NULL OR last_timeline_at <= @now - @interval)
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, now = now.UtcDateTime, interval }, cancellationToken: ct)) == 1;
    }

    public async Task<AlertGroup> NextEpisodeAsync(Guid id, int episode, CancellationToken ct)
    {
        // Only from the episode the caller saw: a second delivery of the same news does not skip an episode.
        const string Sql = """
            UPDATE chatops.alert_groups SET episode = episode + 1, state = 'new', incident_id = NULL, last_timeline_at = NULL
            WHERE id = @id AND episode = @episode
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { id, episode }, cancellationToken: ct));
        return (await GetAsync(id, ct))!;
    }

    public async Task<IReadOnlyList<AlertGroup>> TakeCardBatchAsync(DateTimeOffset now, TimeSpan interval, int max, Func<IReadOnlyList<AlertGroup>, OutboxMessage> card, CancellationToken ct)
    {
        const string Waiting = "SELECT EXISTS (SELECT 1 FROM chatops.alert_groups WHERE state = 'pending')";
        // The feed row is the lock: of replicas racing for the same interval, one updates it and the rest wait and find
        // it taken. Groups, card and the row commit together, so a crash loses no card and posts none twice.
        const string Claim = """
            UPDATE chatops.alert_feed SET last_card_at = @now
            WHERE id = 1 AND (last_card_at IS NULL OR last_card_at <= @now - @interval)
            """;
        const string Take = $"""
            UPDATE chatops.alert_groups SET state = 'carded'
            WHERE id IN (SELECT id FROM chatops.alert_groups WHERE state = 'pending' ORDER BY first_seen_at, id LIMIT @max FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition(Waiting, cancellationToken: ct)))
        {
            return [];
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteAsync(new CommandDefinition(Claim, new { now = now.UtcDateTime, interval }, tx, cancellationToken: ct)) != 1)
        {
            return [];
        }

        var taken = (await conn.QueryAsync<AlertGroupRow>(new CommandDefinition(Take, new { max }, tx, cancellationToken: ct)))
            .Select(Map).OrderBy(g => g.FirstSeenAt).ThenBy(g => g.Id).ToList();
        if (taken.Count == 0)
        {
            // Nothing waiting after all: keep the interval open for the next group.
            await tx.RollbackAsync(ct);
            return [];
        }

        await PostgresOutbox.InsertAsync(conn, tx, [card(taken)], ct);
        await tx.CommitAsync(ct);
        return taken;
    }

    private static AlertGroup Map(AlertGroupRow r) => new(
        r.Id,
        r.Source,
        r.GroupKey,
        r.Title,
        r.Description,
        r.Status == "resolved" ? AlertStatus.Resolved : AlertStatus.Firing,
        r.State,
        r.Episode,
        r.IncidentId,
        new AlertRoute(r.Action, r.Severity, r.Type, r.Commander),
        r.StartsAt is { } s ? Utc.From(s) : null,
        JsonSerializer.Deserialize<List<ChatLink>>(r.Links, Json) ?? [],
        Utc.From(r.FirstSeenAt),
        Utc.From(r.LastSeenAt),
        r.LastTimelineAt is { } t ? Utc.From(t) : null);
}
