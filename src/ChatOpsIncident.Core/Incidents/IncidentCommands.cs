using ChatOpsIncident.Core.Commands;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Ticks or unticks a checklist item (buttons on the kickoff card and the recovery checklist).</summary>
public sealed record ToggleChecklistItem(string Checklist, int Index) : IncidentCommand;

/// <summary>Postpones the next update reminder.</summary>
public sealed record SnoozeReminder(TimeSpan For) : IncidentCommand;

/// <summary>Told after every saved change (the cadence scheduler listens).</summary>
public interface IIncidentObserver
{
    Task IncidentChangedAsync(Incident incident, CancellationToken ct);
}
