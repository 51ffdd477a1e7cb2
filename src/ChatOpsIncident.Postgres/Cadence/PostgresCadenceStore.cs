using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Postgres.Inbox;
using ChatOpsIncident.Postgres.Incidents;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Cadence;

/// <summary>
/// The scheduler's queries. Due work is claimed with <c>FOR UPDATE SKIP LOCKED</c> and its state, timeline entries and
/// outbox messages are written in the same transaction, so two replicas running at the same instant post each
/// reminder once.
/// </summary>
internal sealed class PostgresCadenceStore(NpgsqlDataSource dataSource) : ICadenceStore
{
    private const string OpenStatus = "('triage', 'investigating', 'identified', 'monitoring')";

    private const string Columns = """
        i.id, i.number, i.title, i.severity, i.type, i.status, i.is_private, i.description, i.summary, i.platform,
        i.channel_id, i.channel_name, i.channel_url, i.origin_channel_id, i.declared_by_id, i.declared_by_name,
        i.declared_at, i.acknowledged_at, i.mitigated_at, i.resolved_at, i.closed_at, i.last_update_at,
        i.next_update_due, i.deploy_freeze, i.version, i.impact_started_at, i.detected_at, i.merged_into, i.drill,
        i.stale_reminders, i.reminded_due, i.escalated_due, i.nudged_at, i.escalations
        """;

    // The severity → grace and repeat table every query joins; an unknown severity gets the defaults.
    private const string Graces = "graces AS (SELECT * FROM unnest(@sevs::text[], @graces::interval[], @repeats::interval[]) AS g(severity, grace, repeat))";

    // When the incident's next escalation falls due (CadencePolicy.EscalationAt): the grace after the missed due time,
    // then one repeat per escalation already posted for that due time.
    private const string NextEscalation =
        "(i.next_update_due + coalesce(g.grace, @defaultGrace) + coalesce(g.repeat, @defaultRepeat) * "
        + "(CASE WHEN i.escalated_due = i.next_update_due THEN greatest(i.escalations, 1) ELSE 0 END))";

    public async Task<CadenceBatch> ProcessDueAsync(CadenceQuery query, int max, Func<CadenceCandidate, CadenceEffects> decide, CancellationToken ct)
    {
        // Each branch can use an index; the outer predicate is the policy's, word for word (CadencePolicy.Decide).
        const string Claim = $"""
            WITH {Graces},
            due AS (
                SELECT id FROM chatops.incidents
                WHERE status IN {OpenStatus} AND next_update_due <= @now
                UNION
                SELECT id FROM chatops.incidents
                WHERE status IN {OpenStatus} AND nudged_at IS NULL AND declared_at <= @now - @nudgeAfter
                UNION
                SELECT id FROM chatops.incidents
                WHERE status IN {OpenStatus} AND declared_at <= @now - @staleAfter
            )
            SELECT {Columns}
            FROM chatops.incidents i
            LEFT JOIN graces g ON g.severity = i.severity
            WHERE i.id IN (SELECT id FROM due)
              AND i.status IN {OpenStatus} AND i.channel_id IS NOT NULL
              AND (
                    (i.next_update_due <= @now AND i.reminded_due IS DISTINCT FROM i.next_update_due)
                 OR ({NextEscalation} <= @now)
                 OR (i.nudged_at IS NULL AND i.declared_at + @nudgeAfter <= @now)
                 OR (i.declared_at + @staleAfter * (i.stale_reminders + 1) <= @now)
              )
            ORDER BY i.next_update_due NULLS LAST, i.id
            LIMIT @max
            FOR UPDATE OF i SKIP LOCKED
            """;
        const string Roles = """
            SELECT incident_id, role, holder_id, holder_name, assigned_at, assigned_by_id, assigned_by_name, relieved_at
            FROM chatops.roles WHERE incident_id = ANY(@ids) AND relieved_at IS NULL
            """;
        const string SaveState = """
            UPDATE chatops.incidents SET reminded_due = @RemindedDue, escalated_due = @EscalatedDue, nudged_at = @NudgedAt,
                stale_reminders = @StaleReminders, escalations = @Escalations
            WHERE id = @Id
            """;

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var rows = (await conn.QueryAsync<IncidentRow, CadenceStateRow, (IncidentRow Incident, CadenceStateRow State)>(
            new CommandDefinition(Claim, Args(query, new { max }), tx, cancellationToken: ct),
            // The state starts with a NOT NULL column, so Dapper always builds it (it skips objects whose first column is null).
            (i, s) => (i, s),
            splitOn: "stale_reminders")).ToList();
        if (rows.Count == 0)
        {
            await tx.CommitAsync(ct);
            return new(0, []);
        }

        var ids = rows.Select(r => r.Incident.Id).ToArray();
        var roles = (await conn.QueryAsync<RoleRow>(new CommandDefinition(Roles, new { ids }, tx, cancellationToken: ct)))
            .Select(r => r.ToDomain()).ToLookup(r => r.IncidentId);
        var applied = new List<CadenceEffects>(rows.Count);
        foreach (var (incidentRow, stateRow) in rows)
        {
            var incident = incidentRow.ToDomain();
            var state = stateRow.ToDomain();
            var effects = decide(new CadenceCandidate(incident, roles[incident.Id].ToList(), state));
            if (effects.State == state)
            {
                continue;
            }

            await conn.ExecuteAsync(new CommandDefinition(SaveState, new
            {
                Id = incident.Id,
                RemindedDue = Utc.To(effects.State.RemindedDue),
                EscalatedDue = Utc.To(effects.State.EscalatedDue),
                NudgedAt = Utc.To(effects.State.NudgedAt),
                effects.State.StaleReminders,
                effects.State.Escalations,
            }, tx, cancellationToken: ct));
            foreach (var entry in effects.Timeline)
            {
                await PostgresIncidentStore.InsertTimelineAsync(conn, tx, entry, ct);
            }

            await PostgresOutbox.InsertAsync(conn, tx, effects.Outbox, ct);
            applied.Add(effects);
        }

        await tx.CommitAsync(ct);
        return new(rows.Count, applied);
    }

    public async Task<IReadOnlyList<DateTimeOffset>> DueTimesAsync(CadenceQuery query, DateTimeOffset after, DateTimeOffset until, int max, CancellationToken ct)
    {
        // No channel condition here, unlike the claim: an incident's channel is created just after the declaration
        // is saved, and a window job that looked before it existed must still wait for the due time.
        const string Sql = $"""
            WITH {Graces}
            SELECT t FROM (
                SELECT next_update_due AS t FROM chatops.incidents
                WHERE status IN {OpenStatus}
                  AND next_update_due > @after AND next_update_due <= @until
                  AND reminded_due IS DISTINCT FROM next_update_due
                UNION ALL
                SELECT {NextEscalation} FROM chatops.incidents i
                LEFT JOIN graces g ON g.severity = i.severity
                WHERE i.status IN {OpenStatus}
                  AND i.next_update_due <= @until
                  AND {NextEscalation} > @after
                  AND {NextEscalation} <= @until
                UNION ALL
                SELECT declared_at + @nudgeAfter FROM chatops.incidents
                WHERE status IN {OpenStatus} AND nudged_at IS NULL
                  AND declared_at > @after - @nudgeAfter AND declared_at <= @until - @nudgeAfter
            ) due
            ORDER BY t
            LIMIT @max
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var times = await conn.QueryAsync<DateTime>(new CommandDefinition(Sql, Args(query, new
        {
            after = Utc.To(after),
            until = Utc.To(until),
            max,
        }), cancellationToken: ct));
        return times.Select(Utc.From).ToList();
    }

    public async Task<int> ProcessOverdueActionsAsync(DateTimeOffset now, DateOnly today, TimeSpan interval, TimeSpan undatedInterval, int max, Func<OverdueAction, OutboxMessage?> decide, CancellationToken ct)
    {
        const string Claim = """
            SELECT a.id, a.incident_id, a.seq, a.text, a.owner_id, a.owner_name, a.due_date, a.priority, a.created_at,
                   a.created_by_id, a.created_by_name, a.done_at, a.done_by_id, a.done_by_name
            FROM chatops.actions a
            JOIN chatops.incidents i ON i.id = a.incident_id
            WHERE a.done_at IS NULL AND i.channel_id IS NOT NULL
              AND ((a.due_date < @today AND (a.last_reminded_at IS NULL OR a.last_reminded_at <= @now - @interval))
                OR (a.due_date IS NULL AND COALESCE(a.last_reminded_at, a.created_at) <= @now - @undatedInterval))
            ORDER BY a.due_date NULLS LAST, a.id
            LIMIT @max
            FOR UPDATE OF a SKIP LOCKED
            """;
        const string Incidents = """
            SELECT id, number, title, severity, type, status, is_private, description, summary, platform, channel_id,
                   channel_name, channel_url, origin_channel_id, declared_by_id, declared_by_name, declared_at,
                   acknowledged_at, mitigated_at, resolved_at, closed_at, last_update_at, next_update_due, deploy_freeze, version,
                   impact_started_at, detected_at, merged_into, drill
            FROM chatops.incidents WHERE id = ANY(@ids);
            SELECT incident_id, role, holder_id, holder_name, assigned_at, assigned_by_id, assigned_by_name, relieved_at
            FROM chatops.roles WHERE incident_id = ANY(@ids) AND role = 'commander' AND relieved_at IS NULL;
            """;
        const string Mark = "UPDATE chatops.actions SET last_reminded_at = @now WHERE id = ANY(@ids)";

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var actions = (await conn.QueryAsync<ActionRow>(new CommandDefinition(Claim, new
        {
            today = Utc.ToDate(today),
            now = Utc.To(now),
            interval,
            undatedInterval,
            max,
        }, tx, cancellationToken: ct))).ToList();
        if (actions.Count == 0)
        {
            await tx.CommitAsync(ct);
            return 0;
        }

        var incidentIds = actions.Select(a => a.IncidentId).Distinct().ToArray();
        Dictionary<Guid, Incident> incidents;
        ILookup<Guid, RoleAssignment> commanders;
        await using (var grid = await conn.QueryMultipleAsync(new CommandDefinition(Incidents, new { ids = incidentIds }, tx, cancellationToken: ct)))
        {
            incidents = (await grid.ReadAsync<IncidentRow>()).Select(r => r.ToDomain()).ToDictionary(i => i.Id);
            commanders = (await grid.ReadAsync<RoleRow>()).Select(r => r.ToDomain()).ToLookup(r => r.IncidentId);
        }

        var messages = new List<OutboxMessage>();
        foreach (var row in actions)
        {
            var incident = incidents[row.IncidentId];
            if (decide(new OverdueAction(row.ToDomain(), incident, commanders[incident.Id].FirstOrDefault()?.Holder)) is { } message)
            {
                messages.Add(message);
            }
        }

        await PostgresOutbox.InsertAsync(conn, tx, messages, ct);
        await conn.ExecuteAsync(new CommandDefinition(Mark, new { now = Utc.To(now), ids = actions.Select(a => a.Id).ToArray() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return actions.Count;
    }

    private static DynamicParameters Args(CadenceQuery query, object extra)
    {
        var p = new DynamicParameters(extra);
        p.Add("now", Utc.To(query.Now));
        p.Add("sevs", query.Graces.Select(g => g.Severity).ToArray());
        p.Add("graces", query.Graces.Select(g => g.Grace).ToArray());
        p.Add("defaultGrace", query.DefaultGrace);
        p.Add("repeats", query.Graces.Select(g => g.Repeat).ToArray());
        p.Add("defaultRepeat", query.DefaultRepeat);
        p.Add("nudgeAfter", query.NudgeAfter);
        p.Add("staleAfter", query.StaleAfter);
        return p;
    }
}

internal sealed class CadenceStateRow
{
    public DateTime? RemindedDue { get; set; }
    public DateTime? EscalatedDue { get; set; }
    public DateTime? NudgedAt { get; set; }
    public int StaleReminders { get; set; }
    public int Escalations { get; set; }

    public CadenceState ToDomain() => new(Utc.From(RemindedDue), Utc.From(EscalatedDue), Utc.From(NudgedAt), StaleReminders, Escalations);
}
