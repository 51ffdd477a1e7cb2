using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using Dapper;

namespace ChatOpsIncident.Postgres.Incidents;

/// <summary>The store's reads: whole records (captures, interactions), a decision's bounded load, finding and listing.</summary>
internal sealed partial class PostgresIncidentStore
{
    public Task<IncidentRecord?> GetAsync(Guid id, CancellationToken ct) =>
        LoadAsync($"SELECT {IncidentColumns} FROM chatops.incidents WHERE id = @key", id, ct);

    public Task<IncidentRecord?> GetByNumberAsync(int number, CancellationToken ct) =>
        LoadAsync($"SELECT {IncidentColumns} FROM chatops.incidents WHERE number = @key", number, ct);

    public async Task<IncidentRecord?> GetForDecisionAsync(Guid id, int timelineTail, CancellationToken ct)
    {
        // The tail comes from timeline_incident_idx (incident_id, occurred_at, id) read backwards: bounded by the
        // tail, not by the incident's size. The audit trail is never read to decide.
        var sql = $"""
            SELECT {IncidentColumns} FROM chatops.incidents WHERE id = @id;
            SELECT * FROM chatops.roles WHERE incident_id = @id ORDER BY assigned_at, id;
            SELECT * FROM (
                SELECT * FROM chatops.timeline WHERE incident_id = @id AND removed_at IS NULL
                ORDER BY occurred_at DESC, id DESC LIMIT @tail) t ORDER BY occurred_at, id;
            SELECT * FROM chatops.status_updates WHERE incident_id = @id ORDER BY posted_at, id;
            SELECT * FROM chatops.actions WHERE incident_id = @id ORDER BY seq;
            SELECT * FROM chatops.checklist WHERE incident_id = @id ORDER BY checklist, idx;
            SELECT user_id FROM chatops.incident_invitees WHERE incident_id = @id ORDER BY invited_at, user_id;
            SELECT t.* FROM chatops.timeline t JOIN chatops.incidents i ON i.id = t.incident_id
            WHERE t.incident_id = @id AND t.kind = @change AND t.removed_at IS NULL AND t.occurred_at <= i.declared_at
            ORDER BY t.occurred_at DESC, t.id DESC LIMIT @shown;
            SELECT count(*)::int FROM chatops.timeline t JOIN chatops.incidents i ON i.id = t.incident_id
            WHERE t.incident_id = @id AND t.kind = @change AND t.removed_at IS NULL AND t.occurred_at <= i.declared_at;
            """;
        // The kickoff's "Recent changes" (the change entries from before the declaration) come with every decision,
        // so a refreshed card keeps them; timeline_incident_idx bounds both reads by the entries before declared_at.
        var args = new { id, tail = Math.Max(0, timelineTail), change = TimelineKinds.Change, shown = IncidentMessages.RecentChangesShown };
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, args, cancellationToken: ct));
        var row = await grid.ReadSingleOrDefaultAsync<IncidentRow>();
        if (row is null)
        {
            return null;
        }

        var roles = (await grid.ReadAsync<RoleRow>()).Select(r => r.ToDomain()).ToList();
        var timeline = (await grid.ReadAsync<TimelineRow>()).Select(r => r.ToDomain()).ToList();
        var updates = (await grid.ReadAsync<UpdateRow>()).Select(r => r.ToDomain()).ToList();
        var actions = (await grid.ReadAsync<ActionRow>()).Select(r => r.ToDomain()).ToList();
        var checklist = (await grid.ReadAsync<ChecklistRow>()).Select(r => r.ToDomain()).ToList();
        var invitees = (await grid.ReadAsync<string>()).ToList();
        var priorChanges = (await grid.ReadAsync<TimelineRow>()).Select(r => r.ToDomain()).ToList();
        var priorChangeCount = await grid.ReadSingleAsync<int>();
        return new IncidentRecord(row.ToDomain(), roles, timeline, updates, actions, [], checklist)
        {
            Invitees = invitees,
            PriorChanges = priorChanges,
            PriorChangeCount = priorChangeCount,
        };
    }

    public async Task<int> CountTimelineAsync(Guid id, CancellationToken ct)
    {
        const string Sql = "SELECT count(*)::int FROM chatops.timeline WHERE incident_id = @id AND removed_at IS NULL";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(Sql, new { id }, cancellationToken: ct));
    }

    private async Task<IncidentRecord?> LoadAsync(string incidentSql, object key, CancellationToken ct)
    {
        var sql = $"""
            {incidentSql};
            SELECT r.* FROM chatops.roles r JOIN chatops.incidents i ON i.id = r.incident_id WHERE i.{(key is Guid ? "id" : "number")} = @key ORDER BY r.assigned_at, r.id;
            SELECT t.* FROM chatops.timeline t JOIN chatops.incidents i ON i.id = t.incident_id WHERE i.{(key is Guid ? "id" : "number")} = @key ORDER BY t.occurred_at, t.id;
            SELECT u.* FROM chatops.status_updates u JOIN chatops.incidents i ON i.id = u.incident_id WHERE i.{(key is Guid ? "id" : "number")} = @key ORDER BY u.posted_at, u.id;
            SELECT a.* FROM chatops.actions a JOIN chatops.incidents i ON i.id = a.incident_id WHERE i.{(key is Guid ? "id" : "number")} = @key ORDER BY a.seq;
            SELECT au.* FROM chatops.audit au JOIN chatops.incidents i ON i.id = au.incident_id WHERE i.{(key is Guid ? "id" : "number")} = @key ORDER BY au.id;
            SELECT c.* FROM chatops.checklist c JOIN chatops.incidents i ON i.id = c.incident_id WHERE i.{(key is Guid ? "id" : "number")} = @key ORDER BY c.checklist, c.idx;
            SELECT v.user_id FROM chatops.incident_invitees v JOIN chatops.incidents i ON i.id = v.incident_id WHERE i.{(key is Guid ? "id" : "number")} = @key ORDER BY v.invited_at, v.user_id;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { key }, cancellationToken: ct));
        var row = await grid.ReadSingleOrDefaultAsync<IncidentRow>();
        if (row is null)
        {
            return null;
        }

        var roles = (await grid.ReadAsync<RoleRow>()).Select(r => r.ToDomain()).ToList();
        var timeline = (await grid.ReadAsync<TimelineRow>()).Select(r => r.ToDomain()).ToList();
        var updates = (await grid.ReadAsync<UpdateRow>()).Select(r => r.ToDomain()).ToList();
        var actions = (await grid.ReadAsync<ActionRow>()).Select(r => r.ToDomain()).ToList();
        var audit = (await grid.ReadAsync<AuditRow>()).Select(r => r.ToDomain()).ToList();
        var checklist = (await grid.ReadAsync<ChecklistRow>()).Select(r => r.ToDomain()).ToList();
        var invitees = (await grid.ReadAsync<string>()).ToList();
        return new IncidentRecord(row.ToDomain(), roles, timeline, updates, actions, audit, checklist) { Invitees = invitees };
    }

    public async Task<Incident?> FindByChannelAsync(string platform, string channelId, CancellationToken ct)
    {
        const string Sql = $"SELECT {IncidentColumns} FROM chatops.incidents WHERE platform = @platform AND channel_id = @channelId";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<IncidentRow>(new CommandDefinition(Sql, new { platform, channelId }, cancellationToken: ct));
        return row?.ToDomain();
    }
}
