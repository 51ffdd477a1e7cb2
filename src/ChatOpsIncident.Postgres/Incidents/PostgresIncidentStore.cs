using System.Data;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Postgres.Inbox;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Incidents;

internal sealed partial class PostgresIncidentStore(NpgsqlDataSource dataSource) : IIncidentStore
{
    private const string IncidentColumns = """
        id, number, title, severity, type, status, is_private, description, summary, platform, channel_id, channel_name,
        channel_url, origin_channel_id, declared_by_id, declared_by_name, declared_at, acknowledged_at, mitigated_at,
        resolved_at, closed_at, last_update_at, next_update_due, deploy_freeze, version, impact_started_at, detected_at,
        merged_into, drill
        """;

    public async Task<(Incident Incident, bool Created)> CreateAsync(Incident incident, ChangeSet changes, string declareKey, CancellationToken ct)
    {
        const string Insert = """
            INSERT INTO chatops.incidents (id, declare_key, title, severity, type, status, is_private, description, summary,
                platform, channel_id, channel_name, channel_url, origin_channel_id, declared_by_id, declared_by_name,
                declared_at, acknowledged_at, mitigated_at, resolved_at, closed_at, last_update_at, next_update_due, deploy_freeze, version,
                impact_started_at, detected_at, merged_into, drill)
            VALUES (@Id, @DeclareKey, @Title, @Severity, @Type, @Status, @IsPrivate, @Description, @Summary,
                @Platform, @ChannelId, @ChannelName, @ChannelUrl, @OriginChannelId, @DeclaredById, @DeclaredByName,
                @DeclaredAt, @AcknowledgedAt, @MitigatedAt, @ResolvedAt, @ClosedAt, @LastUpdateAt, @NextUpdateDue, @DeployFreeze, 1,
                @ImpactStartedAt, @DetectedAt, @MergedInto, @Drill)
            ON CONFLICT (declare_key) DO NOTHING
            RETURNING number
            """;
        const string Existing = $"SELECT {IncidentColumns} FROM chatops.incidents WHERE declare_key = @declareKey";

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = IncidentArgs(incident);
        args.Add("DeclareKey", declareKey);
        var number = await conn.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(Insert, args, tx, cancellationToken: ct));
        if (number is null)
        {
            // A retried declaration: the first one won.
            var row = await conn.QuerySingleAsync<IncidentRow>(new CommandDefinition(Existing, new { declareKey }, tx, cancellationToken: ct));
            await tx.RollbackAsync(ct);
            return (row.ToDomain(), false);
        }

        incident.Number = number.Value;
        incident.Version = 1;
        await WriteChangesAsync(conn, tx, incident.Id, changes, ct);
        await tx.CommitAsync(ct);
        return (incident, true);
    }

    public async Task<SaveOutcome> SaveAsync(Incident incident, ChangeSet changes, CancellationToken ct)
    {
        const string Update = """
            UPDATE chatops.incidents SET title = @Title, severity = @Severity, type = @Type, status = @Status,
                is_private = @IsPrivate, description = @Description, summary = @Summary, channel_id = @ChannelId,
                channel_name = @ChannelName, channel_url = @ChannelUrl, acknowledged_at = @AcknowledgedAt,
                mitigated_at = @MitigatedAt, resolved_at = @ResolvedAt, closed_at = @ClosedAt, last_update_at = @LastUpdateAt,
                next_update_due = @NextUpdateDue, deploy_freeze = @DeployFreeze, impact_started_at = @ImpactStartedAt,
                detected_at = @DetectedAt, merged_into = @MergedInto, version = version + 1
            WHERE id = @Id AND version = @Version
            """;

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var updated = await conn.ExecuteAsync(new CommandDefinition(Update, IncidentArgs(incident), tx, cancellationToken: ct));
        if (updated == 0)
        {
            await tx.RollbackAsync(ct);
            return SaveOutcome.Conflict;
        }

        if (!await WriteChangesAsync(conn, tx, incident.Id, changes, ct))
        {
            await tx.RollbackAsync(ct);
            return SaveOutcome.AlreadyApplied;
        }

        await tx.CommitAsync(ct);
        incident.Version++;
        return SaveOutcome.Saved;
    }

    /// <summary>Writes a change set; false when its keyed timeline entry exists (the command ran before).</summary>
    private static async Task<bool> WriteChangesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid incidentId, ChangeSet changes, CancellationToken ct)
    {
        foreach (var entry in changes.Timeline)
        {
            var inserted = await InsertTimelineAsync(conn, tx, entry with { IncidentId = incidentId }, ct);
            if (!inserted && entry.DedupeKey?.StartsWith("cmd:", StringComparison.Ordinal) == true)
            {
                return false;
            }
        }

        // Each statement below runs once per element: Dapper executes a command per item of a list argument, in order.
        const string Relieve = "UPDATE chatops.roles SET relieved_at = @at WHERE incident_id = @incidentId AND role = @role AND relieved_at IS NULL";
        await conn.ExecuteAsync(new CommandDefinition(Relieve, changes.RolesRelieved.Select(role => new
        {
            at = Utc.To(changes.RolesAssigned.FirstOrDefault(r => r.Role == role)?.AssignedAt ?? changes.Timeline.FirstOrDefault()?.OccurredAt),
            incidentId,
            role,
        }).ToList(), tx, cancellationToken: ct));

        const string Assign = """
            INSERT INTO chatops.roles (incident_id, role, holder_id, holder_name, assigned_at, assigned_by_id, assigned_by_name)
            VALUES (@incidentId, @Role, @HolderId, @HolderName, @AssignedAt, @AssignedById, @AssignedByName)
            """;
        await conn.ExecuteAsync(new CommandDefinition(Assign, changes.RolesAssigned.Select(r => new
        {
            incidentId,
            r.Role,
            HolderId = r.Holder.Id,
            HolderName = r.Holder.Name,
            AssignedAt = Utc.To(r.AssignedAt),
            AssignedById = r.AssignedBy.Id,
            AssignedByName = r.AssignedBy.Name,
        }).ToList(), tx, cancellationToken: ct));

        const string InsertUpdate = """
            INSERT INTO chatops.status_updates (incident_id, status, text, author_id, author_name, posted_at)
            VALUES (@incidentId, @Status, @Text, @AuthorId, @AuthorName, @PostedAt)
            """;
        await conn.ExecuteAsync(new CommandDefinition(InsertUpdate, changes.Updates.Select(u => new
        {
            incidentId,
            Status = u.Status.ToWire(),
            u.Text,
            AuthorId = u.Author.Id,
            AuthorName = u.Author.Name,
            PostedAt = Utc.To(u.PostedAt),
        }).ToList(), tx, cancellationToken: ct));

        const string InsertAction = """
            INSERT INTO chatops.actions (incident_id, seq, text, owner_id, owner_name, due_date, priority, created_at, created_by_id, created_by_name)
            VALUES (@incidentId, @Seq, @Text, @OwnerId, @OwnerName, @DueDate, @Priority, @CreatedAt, @CreatedById, @CreatedByName)
            """;
        await conn.ExecuteAsync(new CommandDefinition(InsertAction, changes.ActionsAdded.Select(a => new
        {
            incidentId,
            a.Seq,
            a.Text,
            OwnerId = a.Owner?.Id,
            OwnerName = a.Owner?.Name,
            DueDate = Utc.ToDate(a.DueDate),
            Priority = a.Priority.ToString().ToLowerInvariant(),
            CreatedAt = Utc.To(a.CreatedAt),
            CreatedById = a.CreatedBy.Id,
            CreatedByName = a.CreatedBy.Name,
        }).ToList(), tx, cancellationToken: ct));

        const string CompleteAction = """
            UPDATE chatops.actions SET done_at = @DoneAt, done_by_id = @DoneById, done_by_name = @DoneByName
            WHERE incident_id = @incidentId AND seq = @Seq AND done_at IS NULL
            """;
        await conn.ExecuteAsync(new CommandDefinition(CompleteAction, changes.ActionsCompleted.Select(a => new
        {
            incidentId,
            a.Seq,
            DoneAt = Utc.To(a.DoneAt),
            DoneById = a.DoneBy?.Id,
            DoneByName = a.DoneBy?.Name,
        }).ToList(), tx, cancellationToken: ct));

        const string EditAction = """
            UPDATE chatops.actions SET owner_id = @OwnerId, owner_name = @OwnerName, due_date = @DueDate, priority = @Priority,
                done_at = @DoneAt, done_by_id = @DoneById, done_by_name = @DoneByName
            WHERE incident_id = @incidentId AND seq = @Seq
            """;
        await conn.ExecuteAsync(new CommandDefinition(EditAction, changes.ActionsEdited.Select(a => new
        {
            incidentId,
            a.Seq,
            OwnerId = a.Owner?.Id,
            OwnerName = a.Owner?.Name,
            DueDate = Utc.ToDate(a.DueDate),
            Priority = a.Priority.ToString().ToLowerInvariant(),
            DoneAt = Utc.To(a.DoneAt),
            DoneById = a.DoneBy?.Id,
            DoneByName = a.DoneBy?.Name,
        }).ToList(), tx, cancellationToken: ct));

        const string UpsertChecklist = """
            INSERT INTO chatops.checklist (incident_id, checklist, idx, text, done_by_id, done_by_name, done_at)
            VALUES (@incidentId, @Checklist, @Index, @Text, @DoneById, @DoneByName, @DoneAt)
            ON CONFLICT (incident_id, checklist, text) DO UPDATE
                SET idx = excluded.idx, done_by_id = excluded.done_by_id, done_by_name = excluded.done_by_name, done_at = excluded.done_at
            """;
        await conn.ExecuteAsync(new CommandDefinition(UpsertChecklist, changes.Checklist.Select(c => new
        {
            incidentId,
            c.Checklist,
            c.Index,
            c.Text,
            DoneById = c.DoneBy?.Id,
            DoneByName = c.DoneBy?.Name,
            DoneAt = Utc.To(c.DoneAt),
        }).ToList(), tx, cancellationToken: ct));

        const string InsertAudit = """
            INSERT INTO chatops.audit (incident_id, at, actor, surface, field, old_value, new_value)
            VALUES (@incidentId, @At, @Actor, @Surface, @Field, @OldValue, @NewValue)
            """;
        await conn.ExecuteAsync(new CommandDefinition(InsertAudit, changes.Audit.Select(a => new
        {
            incidentId,
            At = Utc.To(a.At),
            a.Actor,
            a.Surface,
            a.Field,
            a.OldValue,
            a.NewValue,
        }).ToList(), tx, cancellationToken: ct));

        await PostgresOutbox.InsertAsync(conn, tx, changes.Outbox, ct);
        await IncidentInvitees.WriteAsync(conn, tx, incidentId, changes, ct);
        return true;
    }

    /// <summary>Inserts one timeline entry (ignored when its dedupe key exists); the one timeline insert of the store.</summary>
    internal static async Task<bool> InsertTimelineAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, TimelineEntry e, CancellationToken ct)
    {
        const string Insert = """
            INSERT INTO chatops.timeline (incident_id, kind, occurred_at, recorded_at, author_id, author_name, text,
                source_platform, source_channel, source_message, source_thread, permalink, dedupe_key)
            VALUES (@IncidentId, @Kind, @OccurredAt, @RecordedAt, @AuthorId, @AuthorName, @Text,
                @SourcePlatform, @SourceChannel, @SourceMessage, @SourceThread, @Permalink, @DedupeKey)
            ON CONFLICT (incident_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
            """;
        var rows = await conn.ExecuteAsync(new CommandDefinition(Insert, new
        {
            e.IncidentId,
            e.Kind,
            OccurredAt = Utc.To(e.OccurredAt),
            RecordedAt = Utc.To(e.RecordedAt),
            AuthorId = e.Author?.Id,
            AuthorName = e.Author?.Name,
            e.Text,
            SourcePlatform = e.Source?.Platform,
            SourceChannel = e.Source?.ChannelId,
            SourceMessage = e.Source?.MessageId,
            SourceThread = e.Source?.ThreadId,
            Permalink = e.Source?.Permalink,
            e.DedupeKey,
        }, tx, cancellationToken: ct));
        return rows == 1;
    }

    public async Task<bool> AppendTimelineAsync(TimelineEntry entry, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await InsertTimelineAsync(conn, null, entry, ct);
    }

    public async Task<int> MarkCapturedRemovedAsync(string platform, string channelId, string messageId, DateTimeOffset at, CancellationToken ct)
    {
        const string Sql = """
            UPDATE chatops.timeline SET removed_at = @at
            WHERE source_platform = @platform AND source_channel = @channelId AND source_message = @messageId AND removed_at IS NULL
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { at = Utc.To(at), platform, channelId, messageId }, cancellationToken: ct));
    }

    public async Task AddCaptureMarkAsync(string platform, string channelId, string messageId, string marker, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.capture_marks (platform, channel_id, message_id, marker) VALUES (@platform, @channelId, @messageId, @marker)
            ON CONFLICT DO NOTHING
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { platform, channelId, messageId, marker }, cancellationToken: ct));
    }

    public async Task<int> RemoveCaptureMarkAsync(string platform, string channelId, string messageId, string marker, CancellationToken ct)
    {
        const string Sql = """
            WITH gone AS (
                DELETE FROM chatops.capture_marks
                WHERE platform = @platform AND channel_id = @channelId AND message_id = @messageId AND marker = @marker)
            SELECT count(*)::int FROM chatops.capture_marks
            WHERE platform = @platform AND channel_id = @channelId AND message_id = @messageId AND marker <> @marker
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(Sql, new { platform, channelId, messageId, marker }, cancellationToken: ct));
    }

    public async Task<int> EditCapturedAsync(string platform, string channelId, string messageId, string text, DateTimeOffset at, CancellationToken ct)
    {
        const string Sql = """
            UPDATE chatops.timeline SET text = @text, edited_at = @at
            WHERE source_platform = @platform AND source_channel = @channelId AND source_message = @messageId
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { text, at = Utc.To(at), platform, channelId, messageId }, cancellationToken: ct));
    }

    private static DynamicParameters IncidentArgs(Incident i)
    {
        var p = new DynamicParameters();
        p.Add("Id", i.Id);
        p.Add("Title", i.Title);
        p.Add("Severity", i.Severity);
        p.Add("Type", i.Type);
        p.Add("Status", i.Status.ToWire());
        p.Add("IsPrivate", i.IsPrivate);
        p.Add("Drill", i.Drill);
        p.Add("Description", i.Description);
        p.Add("Summary", i.Summary);
        p.Add("Platform", i.Platform);
        p.Add("ChannelId", i.ChannelId);
        p.Add("ChannelName", i.ChannelName);
        p.Add("ChannelUrl", i.ChannelUrl);
        p.Add("OriginChannelId", i.OriginChannelId);
        p.Add("DeclaredById", i.DeclaredBy.Id);
        p.Add("DeclaredByName", i.DeclaredBy.Name);
        p.Add("DeclaredAt", Utc.To(i.DeclaredAt));
        p.Add("AcknowledgedAt", Utc.To(i.AcknowledgedAt), DbType.DateTimeOffset);
        p.Add("MitigatedAt", Utc.To(i.MitigatedAt), DbType.DateTimeOffset);
        p.Add("ResolvedAt", Utc.To(i.ResolvedAt), DbType.DateTimeOffset);
        p.Add("ClosedAt", Utc.To(i.ClosedAt), DbType.DateTimeOffset);
        p.Add("LastUpdateAt", Utc.To(i.LastUpdateAt), DbType.DateTimeOffset);
        p.Add("NextUpdateDue", Utc.To(i.NextUpdateDue), DbType.DateTimeOffset);
        p.Add("ImpactStartedAt", Utc.To(i.ImpactStartedAt), DbType.DateTimeOffset);
        p.Add("DetectedAt", Utc.To(i.DetectedAt), DbType.DateTimeOffset);
        p.Add("MergedInto", i.MergedInto, DbType.Int32);
        p.Add("DeployFreeze", i.DeployFreeze);
        p.Add("Version", i.Version);
        return p;
    }
}
