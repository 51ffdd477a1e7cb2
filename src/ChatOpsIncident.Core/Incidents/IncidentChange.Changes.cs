using ChatOpsIncident.Core.Changes;
using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Change events as context: on the timeline when they happen during the incident, listed when it starts.</summary>
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

    private string? ListRecentChanges(IReadOnlyList<ChangeEvent> changes)
    {
        if (changes.Count == 0)
        {
            return IncidentMessages.NoRecentChanges;
        }

        foreach (var change in changes)
        {
            ChangeEntry(change);
        }

        Post(new ChatMessage(IncidentMessages.RecentChangesTitle) { Title = IncidentMessages.RecentChangesTitle, Sections = [new(Bullets: changes.Select(IncidentMessages.ChangeLine).ToList())] }, "changes");
        return null;
    }

    /// <summary>The entry sits when the change happened, not when it was reported.</summary>
    private void ChangeEntry(ChangeEvent change)
    {
        Timeline(TimelineKinds.Change, IncidentMessages.ChangeLine(change));
        Set.Timeline[^1] = Set.Timeline[^1] with { OccurredAt = change.OccurredAt < _now ? change.OccurredAt : _now };
    }
}
