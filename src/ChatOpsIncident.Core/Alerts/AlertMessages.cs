using System.Globalization;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;

namespace ChatOpsIncident.Core.Alerts;

/// <summary>The copy of alert intake: feed cards, timeline entries, the resolved nudge, click answers.</summary>
internal static class AlertMessages
{
    /// <summary>Groups with their own buttons on one card; the rest are listed (Slack allows 25 elements per actions block).</summary>
    public const int GroupsWithButtons = 5;
    private const int GroupsListed = 20;

    public static string Fired(AlertGroup g, AlertNotification n) =>
        $"🚨 Alert firing ({g.Source}): {n.Title}{Since(n.StartsAt)}" + (n.Description is { Length: > 0 } d ? $" — {d}" : "");

    public static string StillFiring(AlertGroup g, AlertNotification n) =>
        $"🔁 Alert still firing ({g.Source}): {n.Title} — {n.FiringCount} alert(s) firing";

    public static string Resolved(AlertGroup g) => $"✅ All alerts resolved ({g.Source}): {g.Title}";

    public static string Attached(AlertGroup g, UserRef by) => $"🔗 Alert attached by {by.Mention} ({g.Source}): {g.Title}{Since(g.StartsAt)}";

    public static ChatMessage Nudge(Guid incidentId, UserRef? commander) =>
        new ChatMessage($"{(commander is null ? "" : commander.Mention + " ")}all alerts resolved — run the recovery checklist?")
        {
            Tone = MessageTone.Good,
            Actions = [new ChatAction(ChatActions.Resolve, "Run the recovery checklist", ButtonValues.Incident(incidentId), ActionStyle.Primary)],
        };

    public static string AlreadyDeclared(Incident incident) => $"That alert is already on {incident.PublicId}.";

    public const string Gone = "That alert is no longer known.";

    public const string NotOpen = "That incident is no longer open.";

    public static string AttachedReply(AlertGroup g, Incident incident) => $"Attached “{g.Title}” to {incident.PublicId}.";

    public static string DismissedReply(AlertGroup g, UserRef by) => $"{by.Mention} dismissed “{g.Title}”.";

    /// <summary>
    /// The feed card: one group gets Declare / Attach to INC-n / Dismiss; several groups (a storm) share one card, the
    /// first few with their own Declare and Dismiss, the rest listed.
    /// </summary>
    public static ChatMessage Card(IReadOnlyList<AlertGroup> groups, IReadOnlyList<Incident> open)
    {
        if (groups.Count == 1)
        {
            var g = groups[0];
            var actions = new List<ChatAction> { new(ChatActions.AlertDeclare, "Declare", g.Id.ToString(), ActionStyle.Primary) };
            actions.AddRange(open.Take(3).Select(i => new ChatAction(ChatActions.AlertAttach, $"Attach to {i.PublicId}", AlertButtons.Attach(g.Id, i.Id))));
            actions.Add(new ChatAction(ChatActions.AlertDismiss, "Dismiss", g.Id.ToString(), ActionStyle.Danger));
            return new ChatMessage($"Alert firing: {g.Title}")
            {
                Title = $"🚨 {g.Title}",
                Tone = MessageTone.Danger,
                Fields = Fields(g),
                Sections = g.Description is { Length: > 0 } d ? [new ChatSection(Text: d)] : [],
                Actions = actions,
                Links = g.Links,
                Context = $"Alert group {g.GroupKey}",
            };
        }

        var listed = groups.Take(GroupsListed).Select(g => $"{g.Title} ({g.Source}{(g.Route.Severity is { } s ? ", " + s : "")})").ToList();
        if (groups.Count > GroupsListed)
        {
            listed.Add(string.Create(CultureInfo.InvariantCulture, $"… and {groups.Count - GroupsListed} more"));
        }

        return new ChatMessage(string.Create(CultureInfo.InvariantCulture, $"{groups.Count} alert groups fired"))
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"🚨 {groups.Count} alert groups fired"),
            Tone = MessageTone.Danger,
            Sections = [new ChatSection(Bullets: listed)],
            Actions = groups.Take(GroupsWithButtons).SelectMany(g => new[]
            {
                new ChatAction(ChatActions.AlertDeclare, $"Declare: {Short(g.Title)}", g.Id.ToString(), ActionStyle.Primary),
                new ChatAction(ChatActions.AlertDismiss, $"Dismiss: {Short(g.Title)}", g.Id.ToString()),
            }).ToList(),
        };
    }

    private static List<ChatField> Fields(AlertGroup g)
    {
        var fields = new List<ChatField> { new("Source", g.Source) };
        if (g.Route.Severity is { } severity)
        {
            fields.Add(new ChatField("Severity", severity));
        }

        if (g.StartsAt is { } at)
        {
            fields.Add(new ChatField("Firing since", at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)));
        }

        return fields;
    }

    private static string Since(DateTimeOffset? at) =>
        at is { } t ? " (firing since " + t.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) + ")" : "";

    private static string Short(string title) => title.Length <= 40 ? title : title[..39] + "…";
}

/// <summary>Button values of alert cards, in <see cref="ButtonValues"/>' shape: the group id first.</summary>
public static class AlertButtons
{
    public static string Attach(Guid groupId, Guid incidentId) => $"{groupId}|{incidentId}";
}
