using ChatOpsIncident.Core.Alerts;
using ChatOpsIncident.Core.Configuration;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Alert groups on their incident: entries, their audit row and the resolved nudge.</summary>
internal sealed partial class IncidentChange
{
    private string? RecordAlert(RecordAlert alert)
    {
        if (!Incident.Status.IsOpen())
        {
            return IncidentMessages.NotOpen(Incident);
        }

        Timeline(TimelineKinds.Alert, alert.Text);
        // The alert wrote it, not a person: no author to mention. A click (attach) keeps the clicker as its author.
        Set.Timeline[^1] = Set.Timeline[^1] with
        {
            OccurredAt = alert.OccurredAt < _now ? alert.OccurredAt : _now,
            Author = _ctx.Surface == AlertService.AlertSurface ? null : _ctx.Actor,
        };
        Audit("alert", null, alert.What);
        if (alert.NudgeCommander)
        {
            Post(AlertMessages.Nudge(Incident.Id, _record.Holder(RoleKeys.Commander)), "nudge");
        }

        return null;
    }
}
