using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Privacy;

/// <summary>
/// Who is looking, as every surface knows them: the ids they go by (a chat user id, an OIDC subject, an Entra object
/// id), whether they are an admin, and the chat channel they asked from when they asked from chat.
/// </summary>
public sealed record Viewer(IReadOnlyCollection<string> Ids, bool IsAdmin, string? Platform = null, string? ChannelId = null)
{
    public static Viewer Admin { get; } = new([], IsAdmin: true);

    public static Viewer ChatUser(string platform, string userId, string? channelId) => new([userId], IsAdmin: false, platform, channelId);
}

/// <summary>
/// The one visibility rule for private incidents, used by every surface (chat, pages, API, fan-out, metrics): to
/// anyone who is not an admin or one of the incident's people, a private incident does not exist.
/// </summary>
public static class IncidentVisibility
{
    public static bool CanSee(IncidentRecord record, Viewer viewer)
    {
        if (viewer.IsAdmin || !record.Incident.IsPrivate)
        {
            return true;
        }

        // Asking from inside the incident's own channel: the platform let them in, so they are a member.
        if (viewer.ChannelId is not null && record.Incident.ChannelId == viewer.ChannelId
            && string.Equals(viewer.Platform, record.Incident.Platform, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var people = PeopleOf(record);
        return viewer.Ids.Any(id => !string.IsNullOrEmpty(id) && people.Contains(id));
    }

    /// <summary>
    /// The incident's people: the declarer, current and past role holders, action owners and everyone the bot invited
    /// to its channel (stored as they are invited). Members of its channel count too, where the platform tells us: that
    /// is <see cref="CanSee"/>'s asked-from-inside-the-channel rule, since neither platform lists members to us. Writing
    /// on the timeline from elsewhere (a message action, a note, a status update) does not make anyone one of them.
    /// </summary>
    public static IReadOnlySet<string> PeopleOf(IncidentRecord record)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { record.Incident.DeclaredBy.Id };
        ids.UnionWith(record.Roles.Select(r => r.Holder.Id));
        ids.UnionWith(record.Actions.Where(a => a.Owner is not null).Select(a => a.Owner!.Id));
        ids.UnionWith(record.Invitees);
        return ids;
    }
}
