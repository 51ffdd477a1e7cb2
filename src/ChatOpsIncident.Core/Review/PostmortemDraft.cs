using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Review;

/// <summary>
/// Drafts the post-incident review in Markdown from the record: what happened comes from the record, the analysis
/// sections are headed prompts for the team to fill in. Every time is UTC with its date (incidents cross midnight).
/// </summary>
public sealed partial class PostmortemDraft(IncidentOptions options)
{
    public static readonly IReadOnlyList<(string Heading, string Prompt)> Prompts =
    [
        ("Root cause", "What made this happen? Go past the trigger to the conditions that let it cause harm."),
        ("Contributing factors", "What made it worse, slower to notice or harder to fix (process, tooling, knowledge, load)?"),
        ("What went well", "What helped: alerts that fired, runbooks that worked, people and tools that shortened the outage."),
        ("What to improve", "What would have shortened or prevented it? Turn each point into an action item with an owner."),
        ("Detection gaps", "How was it detected, and how late? Which signal would have caught it sooner?"),
    ];

    public string Render(IncidentRecord record, DateTimeOffset generatedAt)
    {
        var i = record.Incident;
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {(i.Drill ? $"{IncidentMessages.DrillLabel}: " : "")}Post-incident review: {i.PublicId} — {Inline(i.Title)}\n\n");
        if (i.Drill)
        {
            md.Append(CultureInfo.InvariantCulture, $"> **{IncidentMessages.DrillLabel}.** This incident was a rehearsal: it is left out of the incident metrics.\n\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"> Draft generated from the incident record at {Time(generatedAt)}. All times are UTC. Edit freely: this is a starting point, not the review.\n\n");

        md.Append("## Summary\n\n");
        md.Append(string.IsNullOrWhiteSpace(i.Summary) ? "_No resolution summary was recorded; write two or three sentences on what happened._" : Block(i.Summary));
        md.Append("\n\n");
        if (!string.IsNullOrWhiteSpace(i.Description))
        {
            md.Append(CultureInfo.InvariantCulture, $"Description at declaration: {Block(i.Description)}\n\n");
        }

        var severity = options.FindSeverity(i.Severity);
        var type = options.FindType(i.Type);
        md.Append("## Impact\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{Inline(i.Severity)}: {Inline(severity?.Description ?? "no description configured")}. ");
        md.Append((i.MitigatedAt ?? i.ResolvedAt) is { } stopped
            ? string.Create(CultureInfo.InvariantCulture, $"From declaration to mitigation: {Durations.Format(stopped - i.DeclaredAt)}.\n\n")
            : "Not mitigated yet.\n\n");
        md.Append("_Who was affected, how, and for how long? Include numbers: requests failed, customers, revenue, SLO budget spent._\n\n");

        md.Append("## Severity and type\n\n| | |\n|---|---|\n");
        md.Append(CultureInfo.InvariantCulture, $"| Severity | {Cell(i.Severity)}{(severity is null ? "" : " — " + Cell(severity.Description))} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Type | {Cell(i.Type)}{(type is null ? "" : " — " + Cell(type.Description))} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Status | {i.Status.ToWire()} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Declared by | {Cell(Mentions(i.DeclaredBy.Mention))} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Visibility | {(i.IsPrivate ? "private" : "public")} |\n");
        if (i.Drill)
        {
            md.Append(CultureInfo.InvariantCulture, $"| Drill | yes ({IncidentMessages.DrillLabel}: not counted in metrics) |\n");
        }

        if (i.ChannelName is not null)
        {
            md.Append(CultureInfo.InvariantCulture, $"| Channel | {Link("#" + i.ChannelName, i.ChannelUrl)} ({Cell(i.Platform)}) |\n");
        }

        md.Append('\n');
        KeyTimes(md, i);
        RolesSection(md, record);
        TimelineSection(md, record);
        UpdatesSection(md, record);
        ActionsSection(md, record);

        foreach (var (heading, prompt) in Prompts)
        {
            md.Append(CultureInfo.InvariantCulture, $"## {heading}\n\n_{prompt}_\n\n");
        }

        return md.ToString().TrimEnd() + "\n";
    }

    private static void KeyTimes(StringBuilder md, Incident i)
    {
        md.Append("## Key timestamps\n\n| Milestone | Time (UTC) | Since declared |\n|---|---|---|\n");
        foreach (var (name, at) in new (string, DateTimeOffset?)[]
                 {
                     ("Declared", i.DeclaredAt), ("Acknowledged", i.AcknowledgedAt), ("Mitigated", i.MitigatedAt),
                     ("Resolved", i.ResolvedAt), ("Closed", i.ClosedAt),
                 })
        {
            md.Append(CultureInfo.InvariantCulture, $"| {name} | {Time(at)} | {(name == "Declared" ? "—" : Durations.Format(at - i.DeclaredAt))} |\n");
        }

        md.Append('\n');
        var check = IncidentMetrics.Check(i);
        md.Append(CultureInfo.InvariantCulture, $"Time to acknowledge: **{Durations.Format(check.TimeToAcknowledge)}** · time to mitigate: **{Durations.Format(check.TimeToMitigate)}** · time to resolve: **{Durations.Format(check.TimeToResolve)}**\n\n");
        foreach (var problem in check.Problems)
        {
            md.Append(CultureInfo.InvariantCulture, $"> ⚠️ {problem} Check the record before quoting these durations.\n\n");
        }
    }

    private void RolesSection(StringBuilder md, IncidentRecord record)
    {
        md.Append("## Roles\n\n");
        if (record.Roles.Count == 0)
        {
            md.Append("_No roles were assigned._\n\n");
            return;
        }

        md.Append("| Role | Held by | From (UTC) | Until (UTC) |\n|---|---|---|---|\n");
        var order = options.Roles.Select(r => r.Key).ToList();
        foreach (var r in record.Roles.OrderBy(r => order.IndexOf(r.Role) is var x && x < 0 ? int.MaxValue : x).ThenBy(r => r.AssignedAt))
        {
            var until = r.RelievedAt is { } relieved ? Time(relieved) : record.Incident.ClosedAt is { } closed ? Time(closed) + " (closed)" : "still holds it";
            md.Append(CultureInfo.InvariantCulture, $"| {Cell(options.FindRole(r.Role)?.Name ?? r.Role)} | {Cell(Mentions(r.Holder.Mention))} | {Time(r.AssignedAt)} | {until} |\n");
        }

        md.Append('\n');
    }

    private static void TimelineSection(StringBuilder md, IncidentRecord record)
    {
        md.Append("## Timeline\n\n");
        var entries = OrderedTimeline(record);
        if (entries.Count == 0)
        {
            md.Append("_The timeline is empty._\n\n");
            return;
        }

        foreach (var e in entries)
        {
            var who = e.Author is null ? "" : $" — {Inline(Mentions(e.Author.Mention))}";
            var link = e.Source?.Permalink is { } permalink && IsWebLink(permalink) ? $" ({Link("message", permalink)})" : "";
            var edited = e.EditedAt is null ? "" : " _(edited)_";
            md.Append(CultureInfo.InvariantCulture, $"- **{Time(e.OccurredAt)}** · {KindLabel(e.Kind)}{who}: {ListText(e.Text)}{edited}{link}\n");
        }

        md.Append('\n');
    }

    /// <summary>The timeline as the review shows it: removed captures left out, in the order things happened.</summary>
    public static List<TimelineEntry> OrderedTimeline(IncidentRecord record) =>
        record.Timeline.Where(e => e.RemovedAt is null).OrderBy(e => e.OccurredAt).ThenBy(e => e.RecordedAt).ThenBy(e => e.Id).ToList();

    private static void UpdatesSection(StringBuilder md, IncidentRecord record)
    {
        md.Append("## Status updates\n\n");
        if (record.Updates.Count == 0)
        {
            md.Append("_No status updates were posted._\n\n");
            return;
        }

        foreach (var u in record.Updates.OrderBy(u => u.PostedAt).ThenBy(u => u.Id))
        {
            md.Append(CultureInfo.InvariantCulture, $"**{Time(u.PostedAt)} — {u.Status.ToWire()}** ({Inline(Mentions(u.Author.Mention))})\n\n");
            md.Append(string.Join('\n', Mentions(u.Text).Split('\n').Select(line => "> " + Inline(line.TrimEnd('\r')))));
            md.Append("\n\n");
        }
    }

    private static void ActionsSection(StringBuilder md, IncidentRecord record)
    {
        md.Append("## Action items\n\n");
        if (record.Actions.Count == 0)
        {
            md.Append("_No follow-up actions yet. Add them in the channel: action <text> [@owner] [due:YYYY-MM-DD] [critical|high]._\n\n");
            return;
        }

        md.Append("| # | Action | Owner | Due | Priority | Status |\n|---|---|---|---|---|---|\n");
        foreach (var a in record.Actions.OrderBy(a => a.Seq))
        {
            var status = a.DoneAt is { } done ? $"done {Time(done)}" : "open";
            md.Append(CultureInfo.InvariantCulture, $"| {a.Seq} | {Cell(Mentions(a.Text))} | {(a.Owner is null ? "**none**" : Cell(Mentions(a.Owner.Mention)))} | {a.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "**not set**"} | {a.Priority.ToString().ToLowerInvariant()} | {status} |\n");
        }

        md.Append('\n');
    }

    private static string KindLabel(string kind) => kind switch
    {
        TimelineKinds.Pinned => "📌 pinned",
        TimelineKinds.Mitigation => "🩹 mitigation",
        TimelineKinds.Note => "📝 note",
        TimelineKinds.Update => "📣 update",
        TimelineKinds.Declared => "🚨 declared",
        TimelineKinds.Resolved => "✅ resolved",
        _ => kind,
    };

    public static string Time(DateTimeOffset? at) => IncidentMessages.Time(at);

    [GeneratedRegex(@"<@([^|>\s]+)(?:\|([^>]*))?>", RegexOptions.CultureInvariant)]
    private static partial Regex MentionToken();

    /// <summary>Turns the neutral mention tokens into "@name", readable outside chat.</summary>
    public static string Mentions(string text) =>
        MentionToken().Replace(text, m => "@" + (m.Groups[2].Success && m.Groups[2].Value.Length > 0 ? m.Groups[2].Value : m.Groups[1].Value));

    /// <summary>
    /// Escapes Markdown in text people typed, so a title or a pinned message cannot inject links, HTML or emphasis
    /// into the draft (the web page renders it).
    /// </summary>
    public static string Inline(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' '))
        {
            if (ch is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#' or '!')
            {
                sb.Append('\\');
            }

            sb.Append(ch);
        }

        return sb.ToString();
    }

    private static string Cell(string text) => Inline(text);

    /// <summary>Multi-line text kept inside one list item (hard breaks, indented continuation).</summary>
    private static string ListText(string text) =>
        string.Join("  \n  ", Mentions(text).Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(Inline));

    private static string Block(string text) =>
        string.Join("  \n", Mentions(text).Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(Inline));

    private static string Link(string label, string? url) =>
        url is not null && IsWebLink(url) ? $"[{Inline(label)}]({url.Replace(")", "%29", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal)})" : Inline(label);

    public static bool IsWebLink(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
