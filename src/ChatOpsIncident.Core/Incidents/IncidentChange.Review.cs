using ChatOpsIncident.Core.Commands;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Phase 6, review: follow-up actions, closing behind the critical-action gate, the review draft.</summary>
internal sealed partial class IncidentChange
{
    private string? AddAction(AddAction a)
    {
        if (Incident.Status == IncidentStatus.Closed && a.Priority == ActionPriority.Critical && (a.Owner is null || a.Due is null))
        {
            return IncidentMessages.CriticalActionOnClosed;
        }

        var seq = _record.Actions.Count == 0 ? 1 : _record.Actions.Max(x => x.Seq) + 1;
        var item = new ActionItem
        {
            IncidentId = Incident.Id,
            Seq = seq,
            Text = a.Text,
            Owner = a.Owner,
            DueDate = a.Due,
            Priority = a.Priority,
            CreatedAt = _now,
            CreatedBy = _ctx.Actor,
        };
        Set.ActionsAdded.Add(item);
        var line = IncidentMessages.ActionLine(item);
        Timeline(TimelineKinds.Action, IncidentMessages.ActionAddedEntry(line), IncidentMessages.ActionAddedPost(line, _ctx.Actor));
        Audit($"action:{seq}", null, a.Text);
        return null;
    }

    private string? CompleteAction(int number)
    {
        var item = _record.Actions.FirstOrDefault(a => a.Seq == number);
        if (item is null)
        {
            return IncidentMessages.NoSuchAction(number);
        }

        if (item.Done)
        {
            return IncidentMessages.ActionAlreadyDone(number);
        }

        Set.ActionsCompleted.Add(item with { DoneAt = _now, DoneBy = _ctx.Actor });
        Timeline(TimelineKinds.Action, IncidentMessages.ActionDoneEntry(item), IncidentMessages.ActionDonePost(item, _ctx.Actor));
        Audit($"action:{number}", "open", "done");
        return null;
    }

    private string? Close()
    {
        if (Incident.Status == IncidentStatus.Closed)
        {
            return IncidentMessages.AlreadyClosed(Incident);
        }

        if (Incident.Status != IncidentStatus.Resolved)
        {
            return IncidentMessages.ResolveBeforeClosing(Incident);
        }

        var missing = _record.Actions.Where(a => a.Priority == ActionPriority.Critical && !a.Done && (a.Owner is null || a.DueDate is null)).ToList();
        if (missing.Count > 0)
        {
            Reasons = missing.Select(IncidentMessages.ActionLine).ToList();
            return IncidentMessages.CriticalActionsIncomplete(missing, _prefix);
        }

        Incident.Status = IncidentStatus.Closed;
        Incident.ClosedAt = _now;
        Timeline(TimelineKinds.Closed, IncidentMessages.ClosedEntry, IncidentMessages.ClosedPost(Incident, _ctx.Actor));
        Audit("status", IncidentStatus.Resolved.ToWire(), IncidentStatus.Closed.ToWire());
        RefreshKickoff();
        return null;
    }

    /// <summary>Posts a link to the review draft in the channel (the draft itself is rendered on read, always current).</summary>
    private string? OfferPostmortem()
    {
        var draft = _links.Postmortem(Incident);
        var where = draft ?? IncidentMessages.PostmortemApiPath(Incident);
        Timeline(TimelineKinds.Note, IncidentMessages.PostmortemRequestedEntry);
        Post(IncidentMessages.PostmortemOffer(_record, Incident, draft, where), "postmortem");
        Reply = IncidentMessages.PostmortemReply(Incident, where);
        return null;
    }
}
