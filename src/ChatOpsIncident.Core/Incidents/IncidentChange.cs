using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.Core.Storage;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// One command decided against a loaded record: the incident as it will be, everything to save with it, and the
/// answer, or why it is refused. Pure: the record, the clock and the options come in, nothing goes out but the
/// result, so every rule is testable without a database. The rules sit in one file per phase of the process.
/// </summary>
internal sealed partial class IncidentChange
{
    private readonly IncidentRecord _record;
    private readonly CommandContext _ctx;
    private readonly DateTimeOffset _now;
    private readonly IncidentOptions _options;
    private readonly IReviewLinks _links;
    private readonly IncidentMessages _messages;
    private readonly string _prefix;
    private bool _keyed;

    private IncidentChange(IncidentRecord record, CommandContext ctx, DateTimeOffset now, IncidentOptions options, IReviewLinks links, string prefix)
    {
        _prefix = prefix;
        _record = record;
        _ctx = ctx;
        _now = now;
        _options = options;
        _links = links;
        _messages = new IncidentMessages(options);
        Incident = record.Incident.Copy();
    }

    /// <summary>The incident after the change (a copy: the loaded record is left as it was).</summary>
    public Incident Incident { get; }

    public ChangeSet Set { get; } = new();

    /// <summary>The answer to the person who ran the command, when there is more to say than the posts.</summary>
    public string? Reply { get; private set; }

    /// <summary>Why nothing changes, or null when the change stands.</summary>
    public string? Refusal { get; private set; }

    /// <summary>A richer answer to a refusal than its text (the recovery checklist to tick).</summary>
    public ChatMessage? RefusalMessage { get; private set; }

    /// <summary>What a gate waits for, one item each (open recovery items, critical actions without owner or due date).</summary>
    public IReadOnlyList<string> Reasons { get; private set; } = [];

    public bool Refused => Refusal is not null;

    /// <param name="commandPrefix">How the asker's platform starts a command (<c>/incident</c>, <c>@Incident</c>), for refusals that name the fix.</param>
    public static IncidentChange Decide(
        IncidentRecord record, IncidentCommand command, CommandContext ctx, DateTimeOffset now, IncidentOptions options, IReviewLinks links,
        string commandPrefix = IChatPlatform.DefaultCommandPrefix)
    {
        var change = new IncidentChange(record, ctx, now, options, links, commandPrefix);
        change.Refusal = change.Apply(command);
        if (!change.Refused)
        {
            change.PagerLifecycle();
        }

        return change;
    }

    /// <summary>Applies <paramref name="command"/>, or returns why it is refused.</summary>
    private string? Apply(IncidentCommand command) => command switch
    {
        Commands.AssignRole or Handoff when Incident.Status == IncidentStatus.Closed => IncidentMessages.IsClosed(Incident),
        AssignRole assign => AssignRole(assign.Role, assign.User, handoff: false),
        Handoff handoff => AssignRole(handoff.Role, handoff.User, handoff: true),
        ChangeSeverity severity => ChangeSeverity(severity.Severity),
        ChangeType type => ChangeType(type.Type),
        EditDetails edit => EditDetails(edit),
        Changes.RecordChange change => RecordChange(change.Change),
        RecordMitigation mitigation => Mitigate(mitigation.Text),
        SetFreeze freeze => Freeze(freeze.On),
        PostStatusUpdate update => PostUpdate(update.Status, update.Text),
        AddNote note => Note(note.Text, note.OccurredAt),
        ToggleChecklistItem toggle => ToggleChecklist(toggle.Checklist, toggle.Index),
        Resolve resolve => Resolve(resolve),
        SnoozeReminder snooze => Snooze(snooze.For),
        AddAction action => AddAction(action),
        CompleteAction done => CompleteAction(done.Number),
        EditAction edit => EditAction(edit),
        ReopenAction reopen => ReopenAction(reopen.Number),
        Commands.Close => Close(),
        Postmortem => OfferPostmortem(),
        Commands.Accept => Accept(),
        Decline decline => Decline(decline.Reason),
        Cancel cancel => Cancel(cancel.Reason),
        Reopen reopen => Reopen(reopen.Reason),
        MergeInto merge => MergeInto(merge.Target),
        MergedIn merged => MergedIn(merged.Source, merged.SourceLink),
        SetImpactStarted started => SetImpactStarted(started),
        Alerts.RecordAlert alert => RecordAlert(alert),
        CorrectKeyTimes times => CorrectKeyTimes(times),
        Acknowledge => AcknowledgeIncident(),
        Unassign unassign => Unassign(unassign.Role),
        LeaveRoles => Leave(),
        PageOnCall page => PageOnCall(page.Service, page.Reason),
        _ => IncidentMessages.NotSupported(command),
    };

    /// <summary>Adds a timeline entry, and posts <paramref name="postText"/> in the channel; the first entry carries the delivery's dedupe key.</summary>
    private void Timeline(string kind, string text, string? postText = null)
    {
        Set.Timeline.Add(TimelineEntry.Now(Incident.Id, kind, text, _now, _ctx.Actor, _keyed ? null : OutboxKeys.CommandEntry(_ctx.DeliveryId)));
        _keyed = true;
        if (postText is not null)
        {
            Post(ChatMessage.Plain(postText));
        }
    }

    private void Audit(string field, string? oldValue, string? newValue) =>
        Set.Audit.Add(AuditOf(Incident.Id, _ctx, _now, field, oldValue, newValue));

    internal static AuditRecord AuditOf(Guid incidentId, CommandContext ctx, DateTimeOffset at, string field, string? oldValue, string? newValue) =>
        new(0, incidentId, at, ctx.Actor.Id, ctx.Surface, field, oldValue, newValue);

    /// <summary>An outbox item of this delivery for the incident channel (none before the channel exists).</summary>
    private void Queue(string operation, string suffix, Func<OutboxMessage, OutboxMessage> fill)
    {
        if (Incident.ChannelId is null)
        {
            return;
        }

        Set.Outbox.Add(fill(new OutboxMessage(OutboxKeys.Command(_ctx.Platform, _ctx.DeliveryId, suffix), Incident.Id, Incident.Platform, operation, Incident.ChannelId)));
    }

    private void Post(ChatMessage message, string suffix = "post") =>
        Queue(OutboxOperations.Post, suffix, m => m with { Message = message });

    /// <summary>Refreshes the pinned kickoff card and topic after roles, severity, type or status change.</summary>
    private void RefreshKickoff()
    {
        var after = Project();
        // The version this change saves (the store bumps it by one): the dispatcher skips an update older than one sent.
        Queue(OutboxOperations.Update, "kickoff", m => m with { Message = _messages.Kickoff(after), TargetKey = OutboxKeys.Incident(Incident.Id, "kickoff"), Version = Incident.Version + 1 });
        Queue(OutboxOperations.Topic, "topic", m => m with { Text = _messages.Topic(after) });
    }

    /// <summary>The record as it will be after this change.</summary>
    private IncidentRecord Project()
    {
        var roles = _record.Roles
            .Select(r => Set.RolesRelieved.Contains(r.Role) && r.RelievedAt is null ? r with { RelievedAt = _now } : r)
            .Concat(Set.RolesAssigned).ToList();
        var checklists = _record.Checklists
            .Where(c => !Set.Checklist.Any(n => n.Checklist == c.Checklist && n.Text == c.Text))
            .Concat(Set.Checklist).ToList();
        return _record with { Incident = Incident, Roles = roles, Checklists = checklists };
    }
}
