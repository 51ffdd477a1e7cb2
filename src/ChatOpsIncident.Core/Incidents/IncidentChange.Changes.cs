using ChatOpsIncident.Core.Changes;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Change events as context: on the timeline when they happen during the incident (the kickoff lists those before it).</summary>
internal sealed partial class IncidentChange
{
    private string? RecordChange(ChangeEvent change)
    {
        if (!Incident.Status.IsOpen())
        {
            return IncidentMessages.NotOpen(Incident);
        }

        ChangeEntry(change);
        return null;
    }

    /// <summary>The entry sits when the change happened, not when it was reported.</summary>
    private void ChangeEntry(ChangeEvent change)
    {
        Timeline(TimelineKinds.Change, IncidentMessages.ChangeLine(change));
        Set.Timeline[^1] = Set.Timeline[^1] with { OccurredAt = change.OccurredAt < _now ? change.OccurredAt : _now };
    }
}
