using ChatOpsIncident.Core.Commands;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Editing and reopening follow-up actions (the API's PATCH). Minimal: sets the fields given and audits each change.
/// The lifecycle work (issue 14, s3-life) owns the full rules; this stands in so the API compiles and is tested.
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

        Set.ActionsEdited.Add(edited);
        Timeline(TimelineKinds.Action, IncidentMessages.ActionEditedEntry(edited));
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
        Audit($"action:{number}", "done", "open");
        return null;
    }
}
