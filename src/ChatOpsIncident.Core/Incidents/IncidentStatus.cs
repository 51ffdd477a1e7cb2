namespace ChatOpsIncident.Core.Incidents;

public enum IncidentStatus
{
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Closed,
    /// <summary>Not yet confirmed as an incident (alert-opened, or declared with <c>triage</c>): open, but unacknowledged.</summary>
    Triage,
    /// <summary>Triage found nothing to respond to. An exit: left out of metrics.</summary>
    Declined,
    /// <summary>A duplicate, folded into another incident. An exit: left out of metrics.</summary>
    Merged,
    /// <summary>Declared by mistake. An exit: left out of metrics.</summary>
    Cancelled,
}

public static class IncidentStatusNames
{
    public static string ToWire(this IncidentStatus status) => status switch
    {
        IncidentStatus.Investigating => "investigating",
        IncidentStatus.Identified => "identified",
        IncidentStatus.Monitoring => "monitoring",
        IncidentStatus.Resolved => "resolved",
        IncidentStatus.Closed => "closed",
        IncidentStatus.Triage => "triage",
        IncidentStatus.Declined => "declined",
        IncidentStatus.Merged => "merged",
        IncidentStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string? text, out IncidentStatus status)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            // "triage" is the name responders use for the first phase; it is the same state.
            case "triage":
            case "investigating":
                status = IncidentStatus.Investigating;
                return true;
            case "identified":
                status = IncidentStatus.Identified;
                return true;
            case "monitoring":
                status = IncidentStatus.Monitoring;
                return true;
            case "resolved":
                status = IncidentStatus.Resolved;
                return true;
            case "closed":
                status = IncidentStatus.Closed;
                return true;
            default:
                status = default;
                return false;
        }
    }

    /// <summary>
    /// A stored status, exactly as <see cref="ToWire"/> wrote it. Unlike <see cref="TryParse"/> (what people type, where
    /// "triage" still means investigating in an update) it knows the triage and exit states.
    /// </summary>
    public static bool TryFromWire(string? text, out IncidentStatus status)
    {
        foreach (var candidate in Enum.GetValues<IncidentStatus>())
        {
            if (string.Equals(candidate.ToWire(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static bool IsOpen(this IncidentStatus status) =>
        status is IncidentStatus.Triage or IncidentStatus.Investigating or IncidentStatus.Identified or IncidentStatus.Monitoring;

    /// <summary>Declined, merged or cancelled: the incident ended without being one, and no metric counts it.</summary>
    public static bool IsExit(this IncidentStatus status) =>
        status is IncidentStatus.Declined or IncidentStatus.Merged or IncidentStatus.Cancelled;

    /// <summary>The stored statuses an incident is open in, for the store's queries.</summary>
    public static IReadOnlyList<string> OpenWire { get; } =
        Enum.GetValues<IncidentStatus>().Where(s => s.IsOpen()).Select(s => s.ToWire()).ToArray();
}
