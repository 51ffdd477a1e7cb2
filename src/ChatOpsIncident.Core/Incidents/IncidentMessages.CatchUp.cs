using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Review;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// The catch-up: what someone joining an incident needs, built from the record (no language model). The handoff
/// briefing is the same message under its own title, so the two never drift apart.
/// </summary>
public sealed partial class IncidentMessages
{
    /// <summary>
    /// How many of the latest timeline entries a catch-up reads (the store loads only these): enough for the last five
    /// entries and the recent changes among them, however long the incident has run.
    /// </summary>
    public const int CatchUpTimelineTail = 50;

    public const int CatchUpEntries = 5;

    public const int CatchUpChanges = 5;

    public const string CatchUpRoles = "Roles";
    public const string CatchUpLastUpdate = "Last status update";
    public const string CatchUpOpenActions = "Open actions";
    public const string CatchUpRecentTimeline = "Recent timeline";
    public const string CatchUpRecentChanges = "Recent changes";

    /// <summary>The catch-up for <c>catchup</c>; <paramref name="page"/> is the incident's web page when the host has an address.</summary>
    public ChatMessage CatchUp(IncidentRecord r, DateTimeOffset now, string? page) =>
        CatchUpMessage(r, now, page, $"Catch-up on {Header(r.Incident)} ({r.Incident.Severity}, {r.Incident.Status.ToWire()})", $"📋 Catch-up: {Header(r.Incident)}");

    /// <summary>What the new holder of a role needs to pick it up: the catch-up, headed as a handoff.</summary>
    public ChatMessage HandoffBriefing(IncidentRecord record, string role, UserRef from, UserRef to, DateTimeOffset now, string? page) =>
        CatchUpMessage(record, now, page, $"Handoff briefing for {to.Mention}: {RoleName(role)} passes from {from.Mention}", $"🤝 Handoff: {RoleName(role)} → {to.Display}");

    private ChatMessage CatchUpMessage(IncidentRecord r, DateTimeOffset now, string? page, string text, string title)
    {
        var i = r.Incident;
        var last = r.Updates.OrderBy(u => u.PostedAt).ThenBy(u => u.Id).LastOrDefault();
        var open = r.Actions.Where(a => !a.Done).Select(ActionLine).ToList();
        var live = r.Timeline.Where(e => e.RemovedAt is null).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList();
        var recent = live.TakeLast(CatchUpEntries).Select(e => $"{Time(e.OccurredAt)} {e.Text}").ToList();
        var changes = live.Where(e => e.Kind == TimelineKinds.Change).TakeLast(CatchUpChanges).Select(e => e.Text).ToList();
        var roles = options.Roles.Select(role => $"{role.Name}: {r.Holder(role.Key)?.Mention ?? "unassigned"}").ToList();
        var lastUpdate = last is null
            ? "none yet"
            : $"{Time(last.PostedAt)} ({Durations.Format(now - last.PostedAt)} ago, {last.Status.ToWire()}, by {last.Author.Mention}): {last.Text}";
        var links = new List<ChatLink>();
        if (page is not null)
        {
            links.Add(new ChatLink("Incident page", page));
        }

        if (i.ChannelUrl is not null)
        {
            links.Add(new ChatLink($"#{i.ChannelName ?? i.PublicId}", i.ChannelUrl));
        }

        return new ChatMessage(text)
        {
            Title = title,
            Tone = i.Status.IsOpen() ? MessageTone.Warning : MessageTone.Good,
            Fields =
            [
                new("Status", i.Status.ToWire()),
                new("Severity", i.Severity),
                new(i.Status.IsOpen() ? "Open for" : "Lasted", HowLong(i, now)),
                new("Next update due", i.Status.IsOpen() ? Time(i.NextUpdateDue) : "none (not open)"),
            ],
            Sections =
            [
                new(CatchUpRoles, Bullets: roles),
                new(CatchUpLastUpdate, lastUpdate),
                new(CatchUpOpenActions, open.Count == 0 ? "none" : null, open.Count == 0 ? null : open),
                new(CatchUpRecentTimeline, recent.Count == 0 ? "no entries yet" : null, recent.Count == 0 ? null : recent),
                new(CatchUpRecentChanges, changes.Count == 0 ? "none recorded" : null, changes.Count == 0 ? null : changes),
            ],
            Links = links,
            Context = page is null ? $"{i.PublicId} · declared {Time(i.DeclaredAt)} · full record: GET /api/incidents/{i.Id}" : $"{i.PublicId} · declared {Time(i.DeclaredAt)}",
        };
    }

    /// <summary>From the impact's start when known (else the declaration) to the resolution, or to now while it runs.</summary>
    private static string HowLong(Incident i, DateTimeOffset now)
    {
        var from = i.ImpactStartedAt ?? i.DeclaredAt;
        var until = i.ResolvedAt ?? (i.Status.IsOpen() ? now : i.ClosedAt ?? now);
        return $"{Durations.Format(until - from)} (since {Time(from)})";
    }
}
