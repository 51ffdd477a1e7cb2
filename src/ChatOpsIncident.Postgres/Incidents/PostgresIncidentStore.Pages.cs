using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using Dapper;

namespace ChatOpsIncident.Postgres.Incidents;

/// <summary>
/// One incident with a keyset page of its timeline and of its audit (timeline_incident_keyset_idx and
/// audit_incident_keyset_idx, migration 0060): the cost follows the page size, not the incident's size.
/// </summary>
internal sealed partial class PostgresIncidentStore
{
    public async Task<IncidentPage?> GetPageAsync(Guid id, PageRequest timeline, PageRequest audit, bool includeRemoved, CancellationToken ct)
    {
        // One row more than the page says whether a next page exists without counting twice.
        var sql = $"""
            SELECT {IncidentColumns} FROM chatops.incidents WHERE id = @id;
            SELECT * FROM chatops.roles WHERE incident_id = @id ORDER BY assigned_at, id;
            SELECT * FROM chatops.timeline
            WHERE incident_id = @id AND (@removed OR removed_at IS NULL)
              AND (@tAt::timestamptz IS NULL OR (occurred_at, id) > (@tAt, @tId))
            ORDER BY occurred_at, id LIMIT @tFetch;
            SELECT * FROM chatops.status_updates WHERE incident_id = @id ORDER BY posted_at, id;
            SELECT * FROM chatops.actions WHERE incident_id = @id ORDER BY seq;
            SELECT * FROM chatops.audit
            WHERE incident_id = @id AND (@aAt::timestamptz IS NULL OR (at, id) > (@aAt, @aId))
            ORDER BY at, id LIMIT @aFetch;
            SELECT * FROM chatops.checklist WHERE incident_id = @id ORDER BY checklist, idx;
            SELECT count(*)::int FROM chatops.timeline WHERE incident_id = @id AND (@removed OR removed_at IS NULL);
            SELECT count(*)::int FROM chatops.audit WHERE incident_id = @id;
            SELECT user_id FROM chatops.incident_invitees WHERE incident_id = @id ORDER BY invited_at, user_id;
            """;
        var args = new
        {
            id,
            removed = includeRemoved,
            tAt = Utc.To(timeline.After?.At),
            tId = timeline.After?.Id ?? 0,
            tFetch = Fetch(timeline),
            aAt = Utc.To(audit.After?.At),
            aId = audit.After?.Id ?? 0,
            aFetch = Fetch(audit),
        };
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, args, cancellationToken: ct));
        var row = await grid.ReadSingleOrDefaultAsync<IncidentRow>();
        if (row is null)
        {
            return null;
        }

        var roles = (await grid.ReadAsync<RoleRow>()).Select(r => r.ToDomain()).ToList();
        var entries = (await grid.ReadAsync<TimelineRow>()).Select(r => r.ToDomain()).ToList();
        var updates = (await grid.ReadAsync<UpdateRow>()).Select(r => r.ToDomain()).ToList();
        var actions = (await grid.ReadAsync<ActionRow>()).Select(r => r.ToDomain()).ToList();
        var trail = (await grid.ReadAsync<AuditRow>()).Select(r => r.ToDomain()).ToList();
        var checklist = (await grid.ReadAsync<ChecklistRow>()).Select(r => r.ToDomain()).ToList();
        var timelineTotal = await grid.ReadSingleAsync<int>();
        var auditTotal = await grid.ReadSingleAsync<int>();
        var invitees = (await grid.ReadAsync<string>()).ToList();

        var nextTimeline = Trim(entries, timeline.Limit, e => new PageCursor(e.OccurredAt, e.Id));
        var nextAudit = Trim(trail, audit.Limit, a => new PageCursor(a.At, a.Id));
        var record = new IncidentRecord(row.ToDomain(), roles, entries, updates, actions, trail, checklist) { Invitees = invitees };
        return new IncidentPage(record, nextTimeline, nextAudit, timelineTotal, auditTotal);
    }

    public async Task<Guid?> FindIdByNumberAsync(int number, CancellationToken ct)
    {
        const string Sql = "SELECT id FROM chatops.incidents WHERE number = @number";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(Sql, new { number }, cancellationToken: ct));
    }

    private static int Fetch(PageRequest page) => page.Limit <= 0 ? 0 : Math.Min(page.Limit, PageRequest.MaxLimit) + 1;

    /// <summary>Drops the look-ahead row; the cursor of the page's last row when there is a next page.</summary>
    private static PageCursor? Trim<T>(List<T> rows, int limit, Func<T, PageCursor> cursor)
    {
        var size = Math.Clamp(limit, 0, PageRequest.MaxLimit);
        if (rows.Count <= size || size == 0)
        {
            return null;
        }

        rows.RemoveRange(size, rows.Count - size);
        return cursor(rows[^1]);
    }
}
