using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Cadence;

/// <summary>What the scheduler has already done for an incident; kept beside the incident in the store.</summary>
/// <param name="RemindedDue">The <see cref="Incident.NextUpdateDue"/> whose reminder was posted.</param>
/// <param name="EscalatedDue">The <see cref="Incident.NextUpdateDue"/> whose escalation was posted.</param>
/// <param name="NudgedAt">When unfilled roles were nudged (or found filled); set once.</param>
/// <param name="StaleReminders">How many stale reminders were posted.</param>
/// <param name="Escalations">How many escalations were posted for <see cref="EscalatedDue"/> (the misses in a row).</param>
public sealed record CadenceState(
    DateTimeOffset? RemindedDue = null,
    DateTimeOffset? EscalatedDue = null,
    DateTimeOffset? NudgedAt = null,
    int StaleReminders = 0,
    int Escalations = 0);

/// <summary>An incident with something due, locked for this replica while its effects are decided and saved.</summary>
public sealed record CadenceCandidate(Incident Incident, IReadOnlyList<RoleAssignment> Roles, CadenceState State)
{
    public UserRef? Holder(string role) => Roles.FirstOrDefault(r => r.Role == role && r.RelievedAt is null)?.Holder;
}

[Flags]
public enum CadenceDue
{
    None = 0,
    Reminder = 1,
    Escalation = 2,
    Nudge = 4,
    Stale = 8,
}

/// <summary>What one run decided for one incident: the new state and the messages and timeline entries it causes.</summary>
public sealed record CadenceEffects(
    Guid IncidentId,
    string PublicId,
    CadenceDue Done,
    CadenceState State,
    IReadOnlyList<OutboxMessage> Outbox,
    IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>When the next repeated escalation falls due, for the scheduler to plan (null when nothing repeats).</summary>
    public DateTimeOffset? NextEscalation { get; init; }
}

/// <summary>What a store batch did: how many incidents it locked and the effects it committed.</summary>
public sealed record CadenceBatch(int Claimed, IReadOnlyList<CadenceEffects> Applied);

/// <summary>The escalation grace and repeat of one severity, for the store's due-time queries.</summary>
public sealed record SeverityGrace(string Severity, TimeSpan Grace, TimeSpan Repeat);

/// <summary>
/// The policy's numbers as the store needs them to find due work. <see cref="Now"/> and every span are rounded to
/// whole microseconds/milliseconds so the database and <see cref="CadencePolicy"/> agree on what is due.
/// </summary>
public sealed record CadenceQuery(
    DateTimeOffset Now,
    IReadOnlyList<SeverityGrace> Graces,
    TimeSpan DefaultGrace,
    TimeSpan DefaultRepeat,
    TimeSpan NudgeAfter,
    TimeSpan StaleAfter);

/// <summary>An open follow-up action past its due date, with what is needed to remind its owner.</summary>
public sealed record OverdueAction(ActionItem Action, Incident Incident, UserRef? Commander);

/// <summary>Where the scheduler's state lives (PostgreSQL). Every method is safe with several replicas running it at once.</summary>
public interface ICadenceStore
{
    /// <summary>
    /// Locks up to <paramref name="max"/> open incidents that have a channel and a reminder, escalation, nudge or stale
    /// reminder due at <see cref="CadenceQuery.Now"/> (skipping rows another replica holds), asks
    /// <paramref name="decide"/> what to do with each and saves the new state, timeline entries and outbox messages in
    /// the same transaction.
    /// </summary>
    Task<CadenceBatch> ProcessDueAsync(CadenceQuery query, int max, Func<CadenceCandidate, CadenceEffects> decide, CancellationToken ct);

    /// <summary>The instants in (<paramref name="after"/>, <paramref name="until"/>] at which a reminder, escalation or nudge falls due, earliest first.</summary>
    Task<IReadOnlyList<DateTimeOffset>> DueTimesAsync(CadenceQuery query, DateTimeOffset after, DateTimeOffset until, int max, CancellationToken ct);

    /// <summary>
    /// Locks up to <paramref name="max"/> open actions due before <paramref name="today"/> that were not reminded within
    /// <paramref name="interval"/>, queues what <paramref name="decide"/> returns and marks them reminded at
    /// <paramref name="now"/>, in one transaction. Returns how many were reminded.
    /// </summary>
    /// <summary>
    /// Claims open actions due for a reminder: overdue ones not reminded for <paramref name="interval"/>, and undated ones
    /// not reminded (or, never reminded, not added) for <paramref name="undatedInterval"/>; queues what
    /// <paramref name="decide"/> returns and marks them reminded, in one transaction.
    /// </summary>
    Task<int> ProcessOverdueActionsAsync(DateTimeOffset now, DateOnly today, TimeSpan interval, TimeSpan undatedInterval, int max, Func<OverdueAction, OutboxMessage?> decide, CancellationToken ct);
}

/// <summary>
/// Hears the due times a cadence run creates (the next repeated escalation), so the scheduler can plan them without
/// waiting for its sweep. Must not block: called on the run's path.
/// </summary>
public interface ICadenceReplanner
{
    void Plan(IReadOnlyList<DateTimeOffset> times);
}
