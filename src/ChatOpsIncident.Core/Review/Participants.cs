using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Review;

/// <summary>Who took part in an incident: the people a private incident may be shown to (besides admins).</summary>
public static class Participants
{
    /// <summary>
    /// The declarer, everyone who holds or held a role, and everyone who authored a timeline entry, a status update
    /// or owns a follow-up action.
    /// </summary>
    public static IReadOnlySet<string> Of(IncidentRecord record)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { record.Incident.DeclaredBy.Id };
        ids.UnionWith(record.Roles.Select(r => r.Holder.Id));
        ids.UnionWith(record.Timeline.Where(e => e.Author is not null).Select(e => e.Author!.Id));
        ids.UnionWith(record.Updates.Select(u => u.Author.Id));
        ids.UnionWith(record.Actions.Where(a => a.Owner is not null).Select(a => a.Owner!.Id));
        return ids;
    }

    /// <summary>Whether any of the viewer's identities (a chat user id, an e-mail, a subject) took part.</summary>
    public static bool Includes(IncidentRecord record, IEnumerable<string> viewerIds)
    {
        var ids = Of(record);
        return viewerIds.Any(v => !string.IsNullOrEmpty(v) && ids.Contains(v));
    }
}
