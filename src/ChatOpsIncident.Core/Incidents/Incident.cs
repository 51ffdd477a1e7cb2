namespace ChatOpsIncident.Core.Incidents;

/// <summary>A platform user as the adapter knows it: an opaque id plus a display name when known.</summary>
public sealed record UserRef(string Id, string? Name = null)
{
    /// <summary>The core's neutral mention token; each adapter renders it its own way.</summary>
    public string Mention => Name is null ? $"<@{Id}>" : $"<@{Id}|{Name}>";

    public string Display => Name ?? Id;
}

/// <summary>Where a piece of chat lives: the platform, the channel and (for messages) the message id.</summary>
public sealed record SourceRef(string Platform, string ChannelId, string? MessageId = null, string? Permalink = null, string? ThreadId = null);

public sealed class Incident
{
    public Guid Id { get; init; }
    public int Number { get; set; }
    public string PublicId => $"INC-{Number}";
    public required string Title { get; set; }
    public required string Severity { get; set; }
    public required string Type { get; set; }
    public IncidentStatus Status { get; set; }
    public bool IsPrivate { get; set; }
    /// <summary>A rehearsal (<c>declare drill …</c>, or every workspace incident with <c>Sandbox:Drill</c>): set at the declaration, never changed; labelled DRILL and left out of metrics.</summary>
    public bool Drill { get; set; }
    public string? Description { get; set; }
    public string? Summary { get; set; }
    public required string Platform { get; init; }
    public string? ChannelId { get; set; }
    public string? ChannelName { get; set; }
    public string? ChannelUrl { get; set; }
    /// <summary>The channel the incident was declared from, where the declarer gets their answer.</summary>
    public string? OriginChannelId { get; set; }
    public required UserRef DeclaredBy { get; init; }
    public DateTimeOffset DeclaredAt { get; init; }
    /// <summary>When the impact began, as a responder set it (<c>started 09:12</c>); unknown until then.</summary>
    public DateTimeOffset? ImpactStartedAt { get; set; }
    /// <summary>The first alert's time, or the declaration when a person declared it.</summary>
    public DateTimeOffset? DetectedAt { get; set; }
    /// <summary>The first human act on the incident (a person declaring it, accepting it, claiming a role).</summary>
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public DateTimeOffset? MitigatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? LastUpdateAt { get; set; }
    public DateTimeOffset? NextUpdateDue { get; set; }
    public bool DeployFreeze { get; set; }
    /// <summary>The incident this one was merged into (its number), when it is <see cref="IncidentStatus.Merged"/>.</summary>
    public int? MergedInto { get; set; }
    /// <summary>Optimistic concurrency token: the store refuses a save whose version is stale.</summary>
    public int Version { get; set; }

    /// <summary>
    /// A field-for-field copy to change without touching the loaded one. Every field is a value or an immutable
    /// record, so a shallow copy is a full one, and a field added later is copied without anyone listing it.
    /// </summary>
    public Incident Copy() => (Incident)MemberwiseClone();
}

public sealed record RoleAssignment(
    Guid IncidentId,
    string Role,
    UserRef Holder,
    DateTimeOffset AssignedAt,
    UserRef AssignedBy,
    DateTimeOffset? RelievedAt = null);

public static class TimelineKinds
{
    public const string Declared = "declared";
    public const string Role = "role";
    public const string Severity = "severity";
    public const string Type = "type";
    public const string Status = "status";
    public const string Update = "update";
    public const string Note = "note";
    public const string Pinned = "pinned";
    public const string Mitigation = "mitigation";
    public const string Freeze = "freeze";
    public const string Action = "action";
    public const string Checklist = "checklist";
    public const string Resolved = "resolved";
    public const string Closed = "closed";
    public const string Channel = "channel";
    public const string Reminder = "reminder";
    public const string Escalation = "escalation";
    public const string Merge = "merge";
    public const string KeyTime = "time";
    /// <summary>An alert of a linked alert group fired, kept firing, was attached or resolved.</summary>
    public const string Alert = "alert";
    public const string Details = "details";
    public const string Change = "change";
    /// <summary>A person acknowledged the incident (the Acknowledge button).</summary>
    public const string Acknowledged = "acknowledged";
    /// <summary>Someone paged the on-call from chat (<c>page</c>).</summary>
    public const string Page = "page";
}

public sealed record TimelineEntry
{
    public long Id { get; init; }
    public Guid IncidentId { get; init; }
    public required string Kind { get; init; }
    /// <summary>When it happened: for a pinned message, the original message time.</summary>
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public UserRef? Author { get; init; }
    public required string Text { get; init; }
    public SourceRef? Source { get; init; }
    /// <summary>Unique per incident; a second entry with the same key is ignored.</summary>
    public string? DedupeKey { get; init; }
    public DateTimeOffset? RemovedAt { get; init; }
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>An entry for something that happened now (not a captured message, which keeps its own time).</summary>
    public static TimelineEntry Now(Guid incidentId, string kind, string text, DateTimeOffset now, UserRef? author = null, string? dedupeKey = null) => new()
    {
        IncidentId = incidentId,
        Kind = kind,
        OccurredAt = now,
        RecordedAt = now,
        Author = author,
        Text = text,
        DedupeKey = dedupeKey,
    };
}

public sealed record StatusUpdate(
    long Id,
    Guid IncidentId,
    IncidentStatus Status,
    string Text,
    UserRef Author,
    DateTimeOffset PostedAt);

public enum ActionPriority
{
    /// <summary>What people call "medium".</summary>
    Normal,
    High,
    Critical,
    /// <summary>Added last: stored by name, so the order of the others (and their values) stays as it was.</summary>
    Low,
}

public sealed record ActionItem
{
    public long Id { get; init; }
    public Guid IncidentId { get; init; }
    /// <summary>Number within the incident, what people type in <c>done 3</c>.</summary>
    public int Seq { get; init; }
    public required string Text { get; init; }
    public UserRef? Owner { get; init; }
    public DateOnly? DueDate { get; init; }
    public ActionPriority Priority { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required UserRef CreatedBy { get; init; }
    public DateTimeOffset? DoneAt { get; init; }
    public UserRef? DoneBy { get; init; }
    public bool Done => DoneAt is not null;
}

public static class Surfaces
{
    public const string Slack = "slack";
    public const string Teams = "teams";
    /// <summary>The local workspace (ChatOpsIncident.Sandbox), a chat platform of our own for trying and drills.</summary>
    public const string Sandbox = "sandbox";
    public const string Web = "web";
    public const string Api = "api";
    public const string Scheduler = "scheduler";
}

public sealed record AuditRecord(
    long Id,
    Guid IncidentId,
    DateTimeOffset At,
    string Actor,
    string Surface,
    string Field,
    string? OldValue,
    string? NewValue);

public sealed record ChecklistItemState(
    Guid IncidentId,
    string Checklist,
    int Index,
    string Text,
    UserRef? DoneBy,
    DateTimeOffset? DoneAt);

/// <summary>Everything the store knows about one incident.</summary>
public sealed record IncidentRecord(
    Incident Incident,
    IReadOnlyList<RoleAssignment> Roles,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<StatusUpdate> Updates,
    IReadOnlyList<ActionItem> Actions,
    IReadOnlyList<AuditRecord> Audit,
    IReadOnlyList<ChecklistItemState> Checklists)
{
    public IEnumerable<RoleAssignment> CurrentRoles => Roles.Where(r => r.RelievedAt is null);

    /// <summary>The ids of the people the bot invited to the incident's channel (they count for the visibility rule).</summary>
    public IReadOnlyList<string> Invitees { get; init; } = [];

    /// <summary>
    /// The kickoff card's "Recent changes": the newest change entries that happened before the declaration (newest
    /// first, at most <see cref="IncidentMessages.RecentChangesShown"/>), read with every decision so a refreshed card
    /// keeps them. <see cref="PriorChangeCount"/> is how many there are in all.
    /// </summary>
    public IReadOnlyList<TimelineEntry> PriorChanges { get; init; } = [];

    public int PriorChangeCount { get; init; }

    public UserRef? Holder(string role) => CurrentRoles.FirstOrDefault(r => r.Role == role)?.Holder;

    /// <summary>An item's tick, keyed by the item (not its position): a changed runbook keeps the ticks of the items it still has.</summary>
    public ChecklistItemState? Tick(string checklist, string item) => Checklists.FirstOrDefault(c => c.Checklist == checklist && c.Text == item);
}
