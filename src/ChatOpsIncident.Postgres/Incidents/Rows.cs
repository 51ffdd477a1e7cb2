using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Postgres.Incidents;

// Dapper maps snake_case columns onto these rows by name (the maps RowMaps registers); the store turns them into
// domain records. timestamptz columns arrive as UTC DateTime.
internal sealed class IncidentRow
{
    public Guid Id { get; set; }
    public int Number { get; set; }
    public string Title { get; set; } = "";
    public string Severity { get; set; } = "";
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public bool IsPrivate { get; set; }
    public string? Description { get; set; }
    public string? Summary { get; set; }
    public string Platform { get; set; } = "";
    public string? ChannelId { get; set; }
    public string? ChannelName { get; set; }
    public string? ChannelUrl { get; set; }
    public string? OriginChannelId { get; set; }
    public string DeclaredById { get; set; } = "";
    public string? DeclaredByName { get; set; }
    public DateTime DeclaredAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public DateTime? MitigatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public DateTime? LastUpdateAt { get; set; }
    public DateTime? NextUpdateDue { get; set; }
    public bool DeployFreeze { get; set; }
    public int Version { get; set; }
    public DateTime? ImpactStartedAt { get; set; }
    public DateTime? DetectedAt { get; set; }
    public int? MergedInto { get; set; }
    public bool Drill { get; set; }

    public Incident ToDomain() => new()
    {
        Id = Id,
        Number = Number,
        Title = Title,
        Severity = Severity,
        Type = Type,
        Status = IncidentStatusNames.TryFromWire(Status, out var s) ? s : throw new FormatException($"Unknown status '{Status}'"),
        IsPrivate = IsPrivate,
        Description = Description,
        Summary = Summary,
        Platform = Platform,
        ChannelId = ChannelId,
        ChannelName = ChannelName,
        ChannelUrl = ChannelUrl,
        OriginChannelId = OriginChannelId,
        DeclaredBy = new UserRef(DeclaredById, DeclaredByName),
        DeclaredAt = Utc.From(DeclaredAt),
        AcknowledgedAt = Utc.From(AcknowledgedAt),
        MitigatedAt = Utc.From(MitigatedAt),
        ResolvedAt = Utc.From(ResolvedAt),
        ClosedAt = Utc.From(ClosedAt),
        LastUpdateAt = Utc.From(LastUpdateAt),
        NextUpdateDue = Utc.From(NextUpdateDue),
        DeployFreeze = DeployFreeze,
        Version = Version,
        ImpactStartedAt = Utc.From(ImpactStartedAt),
        DetectedAt = Utc.From(DetectedAt),
        MergedInto = MergedInto,
        Drill = Drill,
    };
}

internal sealed class RoleRow
{
    public Guid IncidentId { get; set; }
    public string Role { get; set; } = "";
    public string HolderId { get; set; } = "";
    public string? HolderName { get; set; }
    public DateTime AssignedAt { get; set; }
    public string AssignedById { get; set; } = "";
    public string? AssignedByName { get; set; }
    public DateTime? RelievedAt { get; set; }

    public RoleAssignment ToDomain() =>
        new(IncidentId, Role, new UserRef(HolderId, HolderName), Utc.From(AssignedAt), new UserRef(AssignedById, AssignedByName), Utc.From(RelievedAt));
}

internal sealed class TimelineRow
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public string Kind { get; set; } = "";
    public DateTime OccurredAt { get; set; }
    public DateTime RecordedAt { get; set; }
    public string? AuthorId { get; set; }
    public string? AuthorName { get; set; }
    public string Text { get; set; } = "";
    public string? SourcePlatform { get; set; }
    public string? SourceChannel { get; set; }
    public string? SourceMessage { get; set; }
    public string? SourceThread { get; set; }
    public string? Permalink { get; set; }
    public string? DedupeKey { get; set; }
    public DateTime? RemovedAt { get; set; }
    public DateTime? EditedAt { get; set; }

    public TimelineEntry ToDomain() => new()
    {
        Id = Id,
        IncidentId = IncidentId,
        Kind = Kind,
        OccurredAt = Utc.From(OccurredAt),
        RecordedAt = Utc.From(RecordedAt),
        Author = AuthorId is null ? null : new UserRef(AuthorId, AuthorName),
        Text = Text,
        Source = SourcePlatform is null || SourceChannel is null ? null : new SourceRef(SourcePlatform, SourceChannel, SourceMessage, Permalink, SourceThread),
        DedupeKey = DedupeKey,
        RemovedAt = Utc.From(RemovedAt),
        EditedAt = Utc.From(EditedAt),
    };
}

internal sealed class UpdateRow
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public string Status { get; set; } = "";
    public string Text { get; set; } = "";
    public string AuthorId { get; set; } = "";
    public string? AuthorName { get; set; }
    public DateTime PostedAt { get; set; }

    public StatusUpdate ToDomain() =>
        new(Id, IncidentId, IncidentStatusNames.TryParse(Status, out var s) ? s : IncidentStatus.Investigating, Text, new UserRef(AuthorId, AuthorName), Utc.From(PostedAt));
}

internal sealed class ActionRow
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public int Seq { get; set; }
    public string Text { get; set; } = "";
    public string? OwnerId { get; set; }
    public string? OwnerName { get; set; }
    public DateTime? DueDate { get; set; }
    public string Priority { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public string CreatedById { get; set; } = "";
    public string? CreatedByName { get; set; }
    public DateTime? DoneAt { get; set; }
    public string? DoneById { get; set; }
    public string? DoneByName { get; set; }

    public ActionItem ToDomain() => new()
    {
        Id = Id,
        IncidentId = IncidentId,
        Seq = Seq,
        Text = Text,
        Owner = OwnerId is null ? null : new UserRef(OwnerId, OwnerName),
        DueDate = Utc.FromDate(DueDate),
        Priority = Enum.TryParse<ActionPriority>(Priority, ignoreCase: true, out var p) ? p : ActionPriority.Normal,
        CreatedAt = Utc.From(CreatedAt),
        CreatedBy = new UserRef(CreatedById, CreatedByName),
        DoneAt = Utc.From(DoneAt),
        DoneBy = DoneById is null ? null : new UserRef(DoneById, DoneByName),
    };
}

internal sealed class AuditRow
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public DateTime At { get; set; }
    public string Actor { get; set; } = "";
    public string Surface { get; set; } = "";
    public string Field { get; set; } = "";
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }

    public AuditRecord ToDomain() => new(Id, IncidentId, Utc.From(At), Actor, Surface, Field, OldValue, NewValue);
}

internal sealed class ChecklistRow
{
    public Guid IncidentId { get; set; }
    public string Checklist { get; set; } = "";
    public int Idx { get; set; }
    public string Text { get; set; } = "";
    public string? DoneById { get; set; }
    public string? DoneByName { get; set; }
    public DateTime? DoneAt { get; set; }

    public ChecklistItemState ToDomain() =>
        new(IncidentId, Checklist, Idx, Text, DoneById is null ? null : new UserRef(DoneById, DoneByName), Utc.From(DoneAt));
}
