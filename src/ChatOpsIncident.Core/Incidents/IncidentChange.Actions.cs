using ChatOpsIncident.Core.Commands;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Editing and reopening follow-up actions: chat's <c>action &lt;n&gt; …</c> and <c>undone &lt;n&gt;</c>, the API's PATCH and
/// the web form, one decision for all. Sets only the fields given; each changed field is audited, the edit is on the
/// timeline.
/// </summary>
internal sealed partial class IncidentChange
{
    private string? EditAction(EditAction edit)
    {
        if (_record.Actions.FirstOrDefault(a => a.Seq == edit.Number) is not { } item)
        {
            return IncidentMessages.NoSuchAction(edit.Number);
        }

        var edited = item with { Owner = edit.Owner ?? item.Owner, DueDate = edit.Due ?? item.DueDate, Priority = edit.Priority ?? item.Priority };
        if (edited == item)
        {
            return IncidentMessages.ActionUnchanged(edit.Number);
        }

        // The same rule as adding one: after close nothing gates a critical action any more, so it must be complete.
        if (Incident.Status == IncidentStatus.Closed && edited.Priority == ActionPriority.Critical && !edited.Done && (edited.Owner is null || edited.DueDate is null))
        {
            return IncidentMessages.CriticalActionOnClosed;
        }

        Set.ActionsEdited.Add(edited);
        Timeline(TimelineKinds.Action, IncidentMessages.ActionEditedEntry(edited));
        Reply = IncidentMessages.ActionEditedReply(edited);
        if (edited.Owner != item.Owner)
        {
            Audit($"action:{edit.Number}:owner", item.Owner?.Id, edited.Owner?.Id);
        }

        if (edited.DueDate != item.DueDate)
        {
            Audit($"action:{edit.Number}:due", item.DueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), edited.DueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (edited.Priority != item.Priority)
        {
            Audit($"action:{edit.Number}:priority", item.Priority.ToString().ToLowerInvariant(), edited.Priority.ToString().ToLowerInvariant());
        }

        return null;
    }

    private string? ReopenAction(int number)
    {
        if (_record.Actions.FirstOrDefault(a => a.Seq == number) is not { } item)
        {
            return IncidentMessages.NoSuchAction(number);
        }

        if (!item.Done)
        {
            return IncidentMessages.ActionNotDone(number);
        }

        Set.ActionsEdited.Add(item with { DoneAt = null, DoneBy = null });
        Timeline(TimelineKinds.Action, IncidentMessages.ActionReopenedEntry(item));
        Reply = IncidentMessages.ActionReopenedReply(item);
        Audit($"action:{number}", "done", "open");
        return null;
    }
}
