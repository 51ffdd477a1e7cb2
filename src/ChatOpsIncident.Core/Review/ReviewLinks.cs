using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Review;

/// <summary>Where people read an incident on the web. The host knows its public address; the core only asks.</summary>
public interface IReviewLinks
{
    /// <summary>The web page of the post-incident review draft, or null when no public address is configured.</summary>
    string? Postmortem(Incident incident);

    /// <summary>The web page of the incident, or null when no public address is configured.</summary>
    string? Detail(Incident incident);
}

/// <summary>No web address known: messages name the API path instead of a link.</summary>
internal sealed class NoReviewLinks : IReviewLinks
{
    public string? Postmortem(Incident incident) => null;

    public string? Detail(Incident incident) => null;
}
