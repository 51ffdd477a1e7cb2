using System.Globalization;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>The neutral messages the core posts; adapters render them.</summary>
public sealed partial class IncidentMessages(IncidentOptions options)
{
    public const string TriageChecklist = "triage";
    public const string RunbookChecklist = "runbook";
    public const string RecoveryChecklist = "recovery";

    public static string Time(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>The label a drill carries wherever it shows (headers, topic, pages, postmortem).</summary>
    public const string DrillLabel = "DRILL";

    /// <summary>"INC-7: Checkout 5xx", and "[DRILL] INC-7: …" for a drill, so no card of a rehearsal reads as a real incident.</summary>
    public static string Header(Incident i) => $"{(i.Drill ? $"[{DrillLabel}] " : "")}{i.PublicId}: {i.Title}";

    public string RoleName(string key) => options.FindRole(key)?.Name ?? key;

    public string Topic(IncidentRecord r)
    {
        var commander = r.Holder(RoleKeys.Commander);
        return $"{(r.Incident.Drill ? $"{DrillLabel} | " : "")}{r.Incident.Severity} | {r.Incident.Status.ToWire()} | IC: {commander?.Display ?? "unassigned"} | {r.Incident.Title}";
    }

    public ChatMessage Kickoff(IncidentRecord r)
    {
        var i = r.Incident;
        var sections = new List<ChatSection>
        {
            new("Roles", Bullets: options.Roles.Select(role => $"{role.Name}: {r.Holder(role.Key)?.Mention ?? "unassigned"}").ToList()),
            new("Triage checklist", Checklist: Checklist(r, TriageChecklist, options.TriageChecklist)),
        };
        if (options.FindType(i.Type) is { Runbook.Count: > 0 } type)
        {
            sections.Add(new($"Runbook: {type.Name}", Checklist: Checklist(r, RunbookChecklist, type.Runbook)));
        }

        if (RecentChangesSection(r) is { } changes)
        {
            // Right after the roles: "identify recent changes" is the first step of triage.
            sections.Insert(1, changes);
        }

        if (!string.IsNullOrWhiteSpace(i.Description))
        {
            sections.Insert(0, new("Description", i.Description));
        }

        var actions = options.Roles
            .Where(role => r.Holder(role.Key) is null)
            .Select(role => new ChatAction(ChatActions.ClaimRole, $"I'm {role.Name}", Interactions.ButtonValues.ClaimRole(i.Id, role.Key)))
            .Append(new ChatAction(ChatActions.OpenUpdateForm, "Post update", Interactions.ButtonValues.Incident(i.Id), ActionStyle.Primary))
            .ToList();
        if (AcknowledgeAction(i) is { } acknowledge)
        {
            // First: an alert opened it and nobody has said they have it yet.
            actions.Insert(0, acknowledge);
        }
        return new ChatMessage($"{Header(i)} ({i.Severity}, {i.Type}) — declared by {i.DeclaredBy.Mention}")
        {
            Title = $"🚨 {Header(i)}",
            Tone = i.Status.IsOpen() ? MessageTone.Danger : MessageTone.Good,
            Fields = Fields(r),
            Sections = sections,
            Actions = actions,
            Context = NextUpdateLine(i),
        };
    }

    public ChatMessage Announcement(IncidentRecord r)
    {
        var i = r.Incident;
        var links = i.ChannelUrl is null ? [] : new[] { new ChatLink($"Join #{i.ChannelName}", i.ChannelUrl) };
        return new ChatMessage($"{i.Severity} incident declared: {Header(i)} — join #{i.ChannelName}")
        {
            Title = $"🚨 {i.Severity} incident declared: {Header(i)}",
            Tone = MessageTone.Danger,
            Fields = [new("Severity", i.Severity), new("Type", i.Type), new("Commander", r.Holder(RoleKeys.Commander)?.Mention ?? "unassigned"), new("Channel", $"#{i.ChannelName}")],
            Links = links,
        };
    }

    public ChatMessage Status(IncidentRecord r)
    {
        var i = r.Incident;
        var last = r.Updates.LastOrDefault();
        var sections = new List<ChatSection>();
        if (last is not null)
        {
            sections.Add(new($"Last update ({Time(last.PostedAt)}, {last.Author.Mention})", last.Text));
        }

        var open = r.Actions.Count(a => !a.Done);
        if (r.Actions.Count > 0)
        {
            sections.Add(new("Actions", $"{open} open of {r.Actions.Count}"));
        }

        return new ChatMessage($"{Header(i)} — {i.Severity}, {i.Status.ToWire()}")
        {
            Title = Header(i),
            Tone = i.Status.IsOpen() ? MessageTone.Warning : MessageTone.Good,
            Fields = Fields(r),
            Sections = sections,
            Context = NextUpdateLine(i),
        };
    }

    /// <summary>How many entries the chat timeline shows (the store loads only these).</summary>
    public const int TimelineShown = 30;

    /// <param name="total">The live entry count when <paramref name="r"/> holds only the last entries (a bounded load).</param>
    public ChatMessage Timeline(IncidentRecord r, int max = TimelineShown, int? total = null)
    {
        var entries = r.Timeline.Where(e => e.RemovedAt is null).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList();
        var count = Math.Max(total ?? entries.Count, entries.Count);
        var shown = entries.TakeLast(max).Select(e => $"{Time(e.OccurredAt)} [{e.Kind}] {(e.Author is null ? "" : e.Author.Mention + ": ")}{e.Text}").ToList();
        var more = count > max ? $"{count - max} earlier entries not shown; the full timeline is in the web view." : null;
        return new ChatMessage($"Timeline of {r.Incident.PublicId} ({count} entries)")
        {
            Title = $"Timeline: {Header(r.Incident)}",
            Sections = [new(Text: shown.Count == 0 ? "No entries yet." : null, Bullets: shown.Count == 0 ? null : shown)],
            Context = more,
        };
    }

    public ChatMessage IncidentList(IReadOnlyList<Incident> incidents)
    {
        if (incidents.Count == 0)
        {
            return ChatMessage.Plain("No open incidents. 🎉");
        }

        return new ChatMessage($"{incidents.Count} open incident(s)")
        {
            Title = "Open incidents",
            Sections = [new(Bullets: incidents.Select(i => $"{i.PublicId} [{i.Severity}, {i.Status.ToWire()}] {i.Title}{(i.ChannelName is null ? "" : $" — #{i.ChannelName}")}").ToList())],
        };
    }

    public ChatMessage Actions(IncidentRecord r)
    {
        if (r.Actions.Count == 0)
        {
            return ChatMessage.Plain($"No follow-up actions on {r.Incident.PublicId} yet. Add one: action <text> [@owner] [due:YYYY-MM-DD] [critical|high]");
        }

        return new ChatMessage($"{r.Actions.Count} action(s) on {r.Incident.PublicId}")
        {
            Title = $"Follow-up actions: {r.Incident.PublicId}",
            Sections = [new(Bullets: r.Actions.Select(ActionLine).ToList())],
        };
    }

    public static string ActionLine(ActionItem a) =>
        $"#{a.Seq} {(a.Done ? "✅" : "⬜")} {a.Text} — {a.Owner?.Mention ?? "no owner"}, due {a.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "not set"}"
        + (a.Priority == ActionPriority.Normal ? "" : $", {a.Priority.ToString().ToLowerInvariant()}");

    /// <summary>The update as posted in the incident channel, for responders.</summary>
    public ChatMessage InternalUpdate(Incident i, StatusUpdate u) =>
        new($"Status update ({u.Status.ToWire()}) on {i.PublicId}: {u.Text}")
        {
            Title = $"📣 Status update: {u.Status.ToWire()}",
            Tone = u.Status == IncidentStatus.Monitoring ? MessageTone.Good : MessageTone.Warning,
            Sections = [new(Text: u.Text)],
            Context = $"Posted by {u.Author.Mention} · {NextUpdateLine(i)}",
        };

    /// <summary>The update as fanned out to stakeholders: impact, status and when to expect the next one.</summary>
    public ChatMessage StakeholderUpdate(Incident i, StatusUpdate u)
    {
        var links = i.ChannelUrl is null || i.IsPrivate ? [] : new[] { new ChatLink($"#{i.ChannelName}", i.ChannelUrl) };
        return new ChatMessage($"[{i.Severity}] {i.PublicId} {i.Title} — {u.Status.ToWire()}: {u.Text}")
        {
            Title = $"[{i.Severity}] {Header(i)}",
            Tone = u.Status switch { IncidentStatus.Resolved => MessageTone.Good, IncidentStatus.Monitoring => MessageTone.Good, _ => MessageTone.Warning },
            Fields = [new("Status", u.Status.ToWire()), new("Severity", i.Severity), new("Impact", options.FindSeverity(i.Severity)?.Description ?? i.Severity)],
            Sections = [new(Text: u.Text)],
            Links = links,
            Context = i.Status.IsOpen() ? $"Next update by {Time(i.NextUpdateDue)}" : "This incident is resolved; no further updates are scheduled.",
        };
    }

    /// <summary>
    /// What a stakeholder channel not cleared for private incidents learns of one: that it exists and moved, nothing
    /// more (no number, title, text or channel, which would let a reader find or guess it).
    /// </summary>
    public static ChatMessage RedactedStakeholderUpdate(Incident i, StatusUpdate u)
    {
        var text = u.Status == IncidentStatus.Resolved ? $"A private {i.Severity} incident was resolved." : $"A private {i.Severity} incident posted an update.";
        return new ChatMessage(text)
        {
            Title = text,
            Tone = u.Status is IncidentStatus.Resolved or IncidentStatus.Monitoring ? MessageTone.Good : MessageTone.Warning,
        };
    }

    public ChatMessage RecoveryChecklistMessage(IncidentRecord r, int open = 0) =>
        new($"Before resolving {r.Incident.PublicId}, answer the recovery checklist ({open} open)")
        {
            Title = $"Recovery checklist: {r.Incident.PublicId}",
            Tone = MessageTone.Warning,
            Sections = [new(Text: $"{open} item(s) still open. Tick each item, then run resolve again. The commander can override with resolve --force <reason>.", Checklist: Checklist(r, RecoveryChecklist, options.RecoveryChecklistFor(r.Incident.Severity)))],
        };

    public static List<ChecklistItemView> Checklist(IncidentRecord r, string checklist, IReadOnlyList<string> items) =>
        items.Select((text, index) =>
        {
            var state = r.Tick(checklist, text);
            return new ChecklistItemView(text, state?.DoneAt is not null, state?.DoneBy?.Mention, Interactions.ButtonValues.ToggleChecklist(r.Incident.Id, checklist, index));
        }).ToList();

    private List<ChatField> Fields(IncidentRecord r)
    {
        var i = r.Incident;
        var fields = new List<ChatField>
        {
            new("Severity", i.Severity),
            new("Type", i.Type),
            new("Status", i.Status.ToWire()),
            new("Commander", r.Holder(RoleKeys.Commander)?.Mention ?? "unassigned"),
            new("Declared", Time(i.DeclaredAt)),
        };
        if (i.DeployFreeze)
        {
            fields.Add(new("Deploys", "FROZEN"));
        }

        if (i.Drill)
        {
            fields.Insert(0, new(DrillLabel, "a rehearsal: not counted in metrics"));
        }

        return fields;
    }

    public static string NextUpdateLine(Incident i) =>
        i.Status.IsOpen() && i.NextUpdateDue is { } due ? $"Next status update due {Time(due)}" : $"Status: {i.Status.ToWire()}";
}
