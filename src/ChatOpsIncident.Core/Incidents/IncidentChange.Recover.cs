using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Phase 5, recovery: checklists, resolving behind the recovery checklist, snoozing the update reminder.</summary>
internal sealed partial class IncidentChange
{
    private string? ToggleChecklist(string checklist, int index)
    {
        IReadOnlyList<string> items = checklist switch
        {
            IncidentMessages.TriageChecklist => _options.TriageChecklist,
            IncidentMessages.RecoveryChecklist => _options.RecoveryChecklistFor(Incident.Severity),
            IncidentMessages.RunbookChecklist => _options.FindType(Incident.Type)?.Runbook ?? [],
            _ => [],
        };
        if (index < 0 || index >= items.Count)
        {
            return IncidentMessages.ChecklistItemGone;
        }

        var state = _record.Tick(checklist, items[index]);
        var done = state?.DoneAt is null;
        Set.Checklist.Add(new ChecklistItemState(Incident.Id, checklist, index, items[index], done ? _ctx.Actor : null, done ? _now : null));
        Timeline(TimelineKinds.Checklist, IncidentMessages.ChecklistToggled(done, checklist, items[index]));
        Audit($"checklist:{checklist}:{index}", done ? "open" : "done", done ? "done" : "open");
        // The recovery checklist is not on the kickoff card: nothing there to refresh.
        if (checklist != IncidentMessages.RecoveryChecklist)
        {
            RefreshKickoff();
        }

        return null;
    }

    private string? Resolve(Resolve resolve)
    {
        if (!Incident.Status.IsOpen())
        {
            return IncidentMessages.AlreadyStatus(Incident);
        }

        var items = _options.RecoveryChecklistFor(Incident.Severity);
        var unanswered = items.Where(item => _record.Tick(IncidentMessages.RecoveryChecklist, item)?.DoneAt is null).ToList();
        if (unanswered.Count > 0 && !resolve.Force)
        {
            // Nothing changes yet: the answer is the interactive checklist, to be ticked before resolving.
            RefusalMessage = _messages.RecoveryChecklistMessage(_record, unanswered.Count);
            Reasons = unanswered;
            return IncidentMessages.RecoveryUnanswered(unanswered, items.Count);
        }

        var overridden = resolve.Force && unanswered.Count > 0;
        if (overridden && _record.Holder(RoleKeys.Commander)?.Id != _ctx.Actor.Id)
        {
            return IncidentMessages.OnlyCommanderOverrides;
        }

        var old = Incident.Status;
        Incident.Status = IncidentStatus.Resolved;
        Incident.ResolvedAt = _now;
        Incident.MitigatedAt ??= _now;
        Incident.NextUpdateDue = null;
        Incident.Summary = resolve.Summary ?? Incident.Summary;
        // A freeze is part of the incident: it ends with it, on the record (a CI gate polling /api/freeze sees it go).
        var wasFrozen = Incident.DeployFreeze;
        Incident.DeployFreeze = false;

        var text = overridden ? IncidentMessages.ResolvedOverride(unanswered.Count, resolve.ForceReason) : IncidentMessages.ResolvedEntry(resolve.Summary);
        Timeline(TimelineKinds.Resolved, text);
        Audit("status", old.ToWire(), IncidentStatus.Resolved.ToWire());
        if (wasFrozen)
        {
            Timeline(TimelineKinds.Freeze, IncidentMessages.FreezeLiftedByResolve);
            Audit("deploy_freeze", true.ToString(), false.ToString());
        }
        if (overridden)
        {
            Audit("recovery_override", string.Join("; ", unanswered), resolve.ForceReason);
        }

        var update = new StatusUpdate(0, Incident.Id, IncidentStatus.Resolved, resolve.Summary ?? IncidentMessages.ResolvedUpdate, _ctx.Actor, _now);
        Set.Updates.Add(update);
        Post(IncidentMessages.ResolvedCard(Incident, _ctx.Actor, text, _links.Postmortem(Incident)), "resolved");
        FanOut(update, Configuration.StakeholderMoments.Resolve);
        RefreshKickoff();
        return null;
    }

    private string? Snooze(TimeSpan by)
    {
        if (!Incident.Status.IsOpen())
        {
            return IncidentMessages.NothingToSnooze(Incident);
        }

        if (by <= TimeSpan.Zero || by > MaxSnooze)
        {
            return IncidentMessages.SnoozeBounds;
        }

        var old = Incident.NextUpdateDue;
        Incident.NextUpdateDue = _now + by;
        Timeline(TimelineKinds.Reminder, IncidentMessages.SnoozedEntry(Incident), IncidentMessages.SnoozedPost(Incident, _ctx.Actor));
        Audit("next_update_due", IncidentMessages.Time(old), IncidentMessages.Time(Incident.NextUpdateDue));
        return null;
    }

    /// <summary>Longer than this and the reminder stops meaning anything; stakeholders still expect updates.</summary>
    public static readonly TimeSpan MaxSnooze = TimeSpan.FromHours(4);
}
