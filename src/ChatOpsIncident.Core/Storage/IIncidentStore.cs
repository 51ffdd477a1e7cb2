using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Storage;

/// <summary>What one command changes, saved in one transaction with the incident's version check.</summary>
public sealed class ChangeSet
{
    public List<TimelineEntry> Timeline { get; } = [];
    public List<AuditRecord> Audit { get; } = [];
    public List<RoleAssignment> RolesAssigned { get; } = [];
    /// <summary>Roles whose current holder is relieved (before <see cref="RolesAssigned"/> are inserted).</summary>
    public List<string> RolesRelieved { get; } = [];
    public List<StatusUpdate> Updates { get; } = [];
    public List<ActionItem> ActionsAdded { get; } = [];
    public List<ActionItem> ActionsCompleted { get; } = [];
    /// <summary>Actions whose owner, due date, priority or done state is replaced by the one given (edit, reopen).</summary>
    public List<ActionItem> ActionsEdited { get; } = [];
    public List<ChecklistItemState> Checklist { get; } = [];
    public List<Chat.OutboxMessage> Outbox { get; } = [];
}

public enum SaveOutcome
{
    Saved,
    /// <summary>Someone else saved a newer version first: reload and decide again.</summary>
    Conflict,
    /// <summary>A timeline entry with the same dedupe key exists: this command was applied before.</summary>
    AlreadyApplied,
}

/// <summary>
/// What to list. <paramref name="VisibleTo"/> lists only what that viewer may see (the store applies
/// <see cref="Privacy.IncidentVisibility"/> in its query); null is an internal read that sees everything.
/// <paramref name="After"/> is a keyset cursor (declared_at, number) of the last incident of the previous page: the
/// list continues with those declared before it, newest first.
/// </summary>
public sealed record IncidentQuery(
    IncidentStatus? Status = null,
    bool? Open = null,
    string? Severity = null,
    string? Type = null,
    string? Search = null,
    int Limit = 200,
    DateTimeOffset? DeclaredFrom = null,
    DateTimeOffset? DeclaredTo = null,
    Privacy.Viewer? VisibleTo = null,
    PageCursor? After = null);

public interface IIncidentStore
{
    /// <summary>
    /// Inserts a new incident (assigning its number) with its first changes. When <paramref name="declareKey"/>
    /// was used before, nothing is inserted and the existing incident is returned with <c>Created = false</c>.
    /// </summary>
    Task<(Incident Incident, bool Created)> CreateAsync(Incident incident, ChangeSet changes, string declareKey, CancellationToken ct);

    Task<SaveOutcome> SaveAsync(Incident incident, ChangeSet changes, CancellationToken ct);

    Task<IncidentRecord?> GetAsync(Guid id, CancellationToken ct);

    Task<IncidentRecord?> GetByNumberAsync(int number, CancellationToken ct);

    /// <summary>
    /// What a decision needs, bounded whatever the incident's size: the incident, roles, updates, actions and checklist,
    /// only the last <paramref name="timelineTail"/> live (not removed) timeline entries, in order, and no audit trail.
    /// </summary>
    Task<IncidentRecord?> GetForDecisionAsync(Guid id, int timelineTail, CancellationToken ct);

    /// <summary>How many live (not removed) timeline entries the incident has.</summary>
    Task<int> CountTimelineAsync(Guid id, CancellationToken ct);

    /// <summary>
    /// The incident with one page of its timeline (live entries only unless <paramref name="includeRemoved"/>) and one
    /// of its audit, by (time, id); bounded by the pages whatever the incident's size. Null when there is no such incident.
    /// </summary>
    Task<IncidentPage?> GetPageAsync(Guid id, PageRequest timeline, PageRequest audit, bool includeRemoved, CancellationToken ct);

    /// <summary>The id of incident INC-<paramref name="number"/>, or null.</summary>
    Task<Guid?> FindIdByNumberAsync(int number, CancellationToken ct);

    Task<Incident?> FindByChannelAsync(string platform, string channelId, CancellationToken ct);

    Task<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken ct);

    /// <summary>Appends outside the version check (captures). False when the dedupe key was seen before.</summary>
    Task<bool> AppendTimelineAsync(TimelineEntry entry, CancellationToken ct);

    /// <summary>Marks the captured entries of a message removed. Returns how many changed.</summary>
    Task<int> MarkCapturedRemovedAsync(string platform, string channelId, string messageId, DateTimeOffset at, CancellationToken ct);

    /// <summary>Records that <paramref name="marker"/> (a person's reaction, a pin) holds a captured message.</summary>
    Task AddCaptureMarkAsync(string platform, string channelId, string messageId, string marker, CancellationToken ct);

    /// <summary>Drops one mark of a captured message; returns how many marks still hold it.</summary>
    Task<int> RemoveCaptureMarkAsync(string platform, string channelId, string messageId, string marker, CancellationToken ct);

    /// <summary>Replaces the text of the captured entries of an edited message. Returns how many changed.</summary>
    Task<int> EditCapturedAsync(string platform, string channelId, string messageId, string text, DateTimeOffset at, CancellationToken ct);
}

/// <summary>Remembers outbound side effects by key, so a retried job never posts twice.</summary>
public interface IDeliveryLog
{
    /// <summary>The recorded result of <paramref name="key"/>, or null when it has not been done.</summary>
    Task<DeliveryRecord?> FindAsync(string key, CancellationToken ct);

    Task RecordAsync(string key, string? result, CancellationToken ct);
}

public sealed record DeliveryRecord(string Key, string? Result, DateTimeOffset At);

public static class DeliveryLogExtensions
{
    /// <summary>Runs <paramref name="effect"/> unless <paramref name="key"/> is recorded; returns its (recorded) result.</summary>
    public static async Task<string?> OnceAsync(this IDeliveryLog log, string key, Func<CancellationToken, Task<string?>> effect, CancellationToken ct)
    {
        if (await log.FindAsync(key, ct) is { } done)
        {
            return done.Result;
        }

        var result = await effect(ct);
        await log.RecordAsync(key, result, ct);
        return result;
    }
}
