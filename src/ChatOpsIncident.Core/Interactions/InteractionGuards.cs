using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Interactions;

/// <summary>When a form may open, and what the person hears when it may not.</summary>
public static class InteractionGuards
{
    public const string NotAnIncidentChannel = "This command works inside an incident channel. Use 'list' to find open incidents, or 'declare' to start one.";
    public const string NoSuchIncident = "That incident does not exist.";

    /// <summary>Why the status-update form must not open for <paramref name="incident"/>, or null when it may.</summary>
    public static string? UpdateFormRefusal(Incident incident) =>
        incident.Status.IsOpen() ? null : $"{incident.PublicId} is {incident.Status.ToWire()}; there is no update to post.";
}
