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

/// <summary><c>merge INC-n</c> once the service has found INC-n (open, visible, not this one).</summary>
internal sealed record MergeInto(Incident Target) : IncidentCommand;

/// <summary>The other half of a merge, on the incident merged into: the duplicate's timeline linked in.</summary>
internal sealed record MergedIn(Incident Source, string? SourceLink) : IncidentCommand;

/// <summary>
/// Edits the title or the description (the write API's PATCH; chat has no verb for it yet). A null field stays as it is.
/// </summary>
public sealed record EditDetails(string? Title, string? Description) : IncidentCommand;
