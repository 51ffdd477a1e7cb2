using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Commands;

/// <summary>A command of the one grammar, parsed in Core for every platform.</summary>
public abstract record IncidentCommand
{
    /// <summary>Whether the command runs inside an incident channel.</summary>
    public virtual bool NeedsIncident => true;
}

/// <summary>
/// A declaration. <paramref name="Triage"/> opens it unconfirmed (status triage, to be accepted or declined);
/// <paramref name="DetectedAt"/> is the first alert's time when an alert opened it (else the declaration);
/// <paramref name="Acknowledged"/> is false when no person acted yet (an alert-opened incident), so the first human
/// act sets the acknowledgement time. <paramref name="Drill"/> marks a rehearsal: run like any incident, labelled
/// DRILL everywhere it shows and left out of every metric.
/// </summary>
public sealed record DeclareIncident(
    string Title,
    string? Severity,
    string? Type,
    bool Private,
    string? Description = null,
    IReadOnlyList<UserRef>? Commander = null,
    bool Triage = false,
    DateTimeOffset? DetectedAt = null,
    bool Acknowledged = true,
    bool Drill = false) : IncidentCommand
{
    public override bool NeedsIncident => false;
}

/// <summary><c>declare</c> with no arguments: the platform opens its declaration form.</summary>
public sealed record OpenDeclareForm : IncidentCommand
{
    public override bool NeedsIncident => false;
}

/// <summary><c>update</c> with no text: the platform opens its status-update form.</summary>
public sealed record OpenUpdateForm : IncidentCommand;

public sealed record AssignRole(string Role, UserRef User) : IncidentCommand;

public sealed record Handoff(string Role, UserRef User) : IncidentCommand;

public sealed record ChangeSeverity(string Severity) : IncidentCommand;

public sealed record ChangeType(string Type) : IncidentCommand;

public sealed record ShowStatus : IncidentCommand;

public sealed record ShowTimeline : IncidentCommand;

/// <summary><c>catchup</c>: what someone joining needs, answered privately, built from the record.</summary>
public sealed record ShowCatchUp : IncidentCommand;

public sealed record ListIncidents : IncidentCommand
{
    public override bool NeedsIncident => false;
}

public sealed record ShowHelp(string? Topic = null) : IncidentCommand
{
    public override bool NeedsIncident => false;
}

public sealed record PostStatusUpdate(IncidentStatus? Status, string Text) : IncidentCommand;

/// <summary>A timeline note; <paramref name="OccurredAt"/> (the API's) backdates it to when it happened.</summary>
public sealed record AddNote(string Text, DateTimeOffset? OccurredAt = null) : IncidentCommand;

public sealed record RecordMitigation(string Text) : IncidentCommand;

public sealed record SetFreeze(bool On) : IncidentCommand;

public sealed record AddAction(string Text, UserRef? Owner, DateOnly? Due, ActionPriority Priority) : IncidentCommand;

public sealed record ListActions : IncidentCommand;

public sealed record CompleteAction(int Number) : IncidentCommand;

public sealed record EditAction(int Number, UserRef? Owner, DateOnly? Due, ActionPriority? Priority) : IncidentCommand;

public sealed record ReopenAction(int Number) : IncidentCommand;

public sealed record Resolve(string? Summary, bool Force = false, string? ForceReason = null) : IncidentCommand;

public sealed record Postmortem : IncidentCommand;

public sealed record Close : IncidentCommand;

/// <summary><c>accept</c>: triage confirmed it; it becomes investigating.</summary>
public sealed record Accept : IncidentCommand;

/// <summary><c>decline &lt;reason&gt;</c>: triage found nothing to respond to.</summary>
public sealed record Decline(string Reason) : IncidentCommand;

/// <summary><c>cancel &lt;reason&gt;</c>: declared by mistake.</summary>
public sealed record Cancel(string Reason) : IncidentCommand;

/// <summary><c>reopen &lt;reason&gt;</c>: a resolved or closed incident is back.</summary>
public sealed record Reopen(string Reason) : IncidentCommand;

/// <summary><c>merge INC-n</c>: this incident is a duplicate of INC-n.</summary>
public sealed record Merge(int Into) : IncidentCommand;

/// <summary>
/// <c>started &lt;time&gt;</c>: when the impact began. A time without a date (<c>09:12</c>) is the latest such time
/// not after now, which only the decision knows; <paramref name="Offset"/> is the offset written with the time.
/// <paramref name="InUserZone"/>: no offset was written, so the time is read in the person's time zone
/// (<see cref="Incidents.CommandContext.TimeZone"/>) where the platform tells it, else in UTC.
/// </summary>
public sealed record SetImpactStarted(DateOnly? Date, TimeOnly Time, TimeSpan Offset, bool InUserZone = false) : IncidentCommand;

/// <summary>
/// The web form's correction of key times (UTC): a null time stays as it is. Validated together, saved together.
/// </summary>
public sealed record CorrectKeyTimes(
    DateTimeOffset? ImpactStarted = null,
    DateTimeOffset? Detected = null,
    DateTimeOffset? Acknowledged = null,
    DateTimeOffset? Mitigated = null,
    DateTimeOffset? Resolved = null) : IncidentCommand;

/// <summary>The <em>Acknowledge</em> button of an alert-opened incident: a person has it (sets the acknowledged time once).</summary>
public sealed record Acknowledge : IncidentCommand;

/// <summary><c>unassign &lt;role&gt;</c>: nobody holds the role any more.</summary>
public sealed record Unassign(string Role) : IncidentCommand;

/// <summary><c>leave</c>: the person running it gives up every role they hold on the incident.</summary>
public sealed record LeaveRoles : IncidentCommand;

/// <summary>
/// <c>page [service] &lt;reason&gt;</c>: page the on-call now. <paramref name="Service"/> is a configured
/// <c>Paging:Services</c> name, or null for the incident's severity route.
/// </summary>
public sealed record PageOnCall(string? Service, string Reason) : IncidentCommand;

/// <summary>A message someone asked to keep (pin reaction, native pin, message action).</summary>
public sealed record CapturedMessage(SourceRef Source, UserRef? Author, string Text, DateTimeOffset PostedAt);
