using System.Globalization;
using System.Text;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Host.Api;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Antiforgery;
using static ChatOpsIncident.Host.Web.Html;

namespace ChatOpsIncident.Host.Web;

/// <summary>
/// One incident: facts, key times, roles, timeline, updates, follow-up actions (with forms) and the audit log. The
/// timeline and the audit are one page each (<see cref="IncidentPaging"/>), with a link to the next page.
/// </summary>
internal static class IncidentDetailPage
{
    public static string Render(HttpContext http, IncidentPage page, WebViewer viewer, IncidentOptions options, IAntiforgery antiforgery, string? notice = null, bool noticeOk = false)
    {
        var r = page.Record;
        var i = r.Incident;
        var body = new StringBuilder();
        body.Append($"<h1>{(i.Drill ? $"[{IncidentMessages.DrillLabel}] " : "")}{E(i.PublicId)}: {E(i.Title)}</h1>");
        body.Append("<p>").Append(Badge(i.Severity, "sev")).Append(' ').Append(Html.Status(i.Status)).Append(' ').Append(Badge(i.Type, "type"))
            .Append(i.IsPrivate ? " " + Badge("private", "private") : "")
            .Append(i.Drill ? " " + Badge(IncidentMessages.DrillLabel, "drill") : "").Append("</p>");
        if (notice is not null)
        {
            body.Append($"<p class=\"notice{(noticeOk ? " notice-ok" : "")}\" role=\"{(noticeOk ? "status" : "alert")}\">{Text(notice)}</p>");
        }

        var platform = i.Platform == "teams" ? "Teams" : i.Platform == "slack" ? "Slack" : i.Platform;
        body.Append("<p class=\"links\">");
        if (i.ChannelUrl is not null)
        {
            body.Append(Link($"Open #{i.ChannelName} in {platform}", i.ChannelUrl));
        }

        body.Append($"<a href=\"/incidents/{i.Id}/postmortem\">Post-incident review draft</a>");
        body.Append($"<a href=\"/incidents/{i.Id}/postmortem.md\">Draft as Markdown</a>");
        body.Append("</p>");

        body.Append("<dl class=\"facts\">");
        Fact(body, "Declared by", Text(i.DeclaredBy.Mention));
        Fact(body, "Commander", Text(r.Holder(RoleKeys.Commander)?.Mention ?? "unassigned"));
        if (!string.IsNullOrWhiteSpace(i.Description))
        {
            Fact(body, "Description", Text(i.Description));
        }

        if (!string.IsNullOrWhiteSpace(i.Summary))
        {
            Fact(body, "Summary", Text(i.Summary));
        }

        Fact(body, "Deploys", i.DeployFreeze ? "frozen" : "not frozen");
        if (i.Status.IsOpen())
        {
            Fact(body, "Next update due", Time(i.NextUpdateDue));
        }

        body.Append("</dl>");

        KeyTimes(body, i);
        KeyTimesForm(body, http, i, antiforgery);
        Roles(body, r, options);
        Timeline(body, http.Request.Query, page);
        Updates(body, r);
        Actions(body, http, r, antiforgery);
        Recovery(body, r, options);
        Audit(body, http.Request.Query, page);
        return Page($"{i.PublicId}: {i.Title}", body.ToString(), viewer, "incidents");
    }

    private static void Fact(StringBuilder body, string term, string html) => body.Append($"<dt>{E(term)}</dt><dd>{html}</dd>");

    private static void KeyTimes(StringBuilder body, Incident i)
    {
        var check = IncidentMetrics.Check(i);
        body.Append("<h2 id=\"times\">Key times</h2><dl class=\"facts\">");
        Fact(body, "Impact started", $"{Time(i.ImpactStartedAt)} · time to detect {E(Durations.Format(check.TimeToDetect))}");
        Fact(body, "Detected", Time(i.DetectedAt ?? i.DeclaredAt));
        Fact(body, "Declared", Time(i.DeclaredAt));
        if (i.Status.IsExit())
        {
            // Shown as what it is: not an incident after all, and left out of the metrics.
            Fact(body, "Ended", E(i.Status == IncidentStatus.Merged && i.MergedInto is { } into ? $"merged into INC-{into}; not counted in metrics" : $"{i.Status.ToWire()}; not counted in metrics"));
        }

        Fact(body, "Acknowledged", $"{Time(i.AcknowledgedAt)} · time to acknowledge {E(Durations.Format(check.TimeToAcknowledge))}");
        Fact(body, "Mitigated", $"{Time(i.MitigatedAt)} · time to mitigate {E(Durations.Format(check.TimeToMitigate))}");
        Fact(body, "Resolved", $"{Time(i.ResolvedAt)} · time to resolve {E(Durations.Format(check.TimeToResolve))}");
        Fact(body, "Closed", Time(i.ClosedAt));
        body.Append("</dl>");
        foreach (var problem in check.Problems)
        {
            body.Append($"<p class=\"notice\">⚠️ {E(problem)} This incident is left out of the metrics averages.</p>");
        }
    }

    /// <summary>
    /// Corrects key times (UTC), under the same rules as chat's <c>started</c>; shown to whoever may act on the incident
    /// here (the page's viewers, as for the action forms). The resolved time exists only once the incident is resolved.
    /// </summary>
    private static void KeyTimesForm(StringBuilder body, HttpContext http, Incident i, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var fields = new StringBuilder();
        foreach (var (name, field, at) in KeyTimeFields(i))
        {
            if (field == KeyTimeFormFields.Resolved && i.ResolvedAt is null)
            {
                continue;
            }

            var value = at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) ?? "";
            var label = char.ToUpperInvariant(name[0]) + name[1..];
            fields.Append($"""<div><label for="kt-{field}">{E(label)} (UTC)</label><input id="kt-{field}" name="{field}" type="datetime-local" value="{value}"></div>""");
        }

        body.Append($"""
            <details class="key-times-form"><summary id="correct-times">Correct key times</summary>
            <form class="stack" method="post" action="/incidents/{i.Id}/times" aria-labelledby="correct-times">
            <input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}"><input type="hidden" name="nonce" value="{Guid.NewGuid():N}">
            {fields}
            <div><button type="submit">Save key times</button></div>
            </form></details>
            """);
    }

    internal static IEnumerable<(string Name, string Field, DateTimeOffset? At)> KeyTimeFields(Incident i) =>
    [
        (KeyTimeNames.ImpactStarted, KeyTimeFormFields.ImpactStarted, i.ImpactStartedAt),
        (KeyTimeNames.Detected, KeyTimeFormFields.Detected, i.DetectedAt),
        (KeyTimeNames.Acknowledged, KeyTimeFormFields.Acknowledged, i.AcknowledgedAt),
        (KeyTimeNames.Mitigated, KeyTimeFormFields.Mitigated, i.MitigatedAt),
        (KeyTimeNames.Resolved, KeyTimeFormFields.Resolved, i.ResolvedAt),
    ];

    private static void Roles(StringBuilder body, IncidentRecord r, IncidentOptions options)
    {
        body.Append("<h2 id=\"roles\">Roles</h2>");
        var rows = new StringBuilder();
        foreach (var role in r.Roles.OrderBy(x => x.AssignedAt))
        {
            rows.Append($"<tr><th scope=\"row\">{E(options.FindRole(role.Role)?.Name ?? role.Role)}</th><td>{Text(role.Holder.Mention)}</td><td>{Time(role.AssignedAt)}</td><td>{(role.RelievedAt is null ? "holds it" : Time(role.RelievedAt))}</td><td>{Text(role.AssignedBy.Mention)}</td></tr>");
        }

        body.Append(rows.Length == 0 ? "<p>No roles assigned.</p>" : Table("Roles and who held them when", "<tr><th scope=\"col\">Role</th><th scope=\"col\">Held by</th><th scope=\"col\">From</th><th scope=\"col\">Until</th><th scope=\"col\">Assigned by</th></tr>", rows.ToString()));
    }

    private static void Timeline(StringBuilder body, IQueryCollection query, IncidentPage page)
    {
        var entries = PostmortemDraft.OrderedTimeline(page.Record);
        body.Append($"<h2 id=\"timeline\">Timeline <span class=\"local\">({page.TimelineTotal} entries)</span></h2>");
        if (entries.Count == 0 && page.TimelineTotal > 0)
        {
            body.Append("<p>No more entries.</p>");
            PageLinks(body, query, page.Record.Incident.Id, IncidentPaging.TimelineAfter, null, "timeline", "Later entries");
            return;
        }

        if (entries.Count == 0)
        {
            body.Append("<p>No entries yet.</p>");
            return;
        }

        body.Append("<ol class=\"timeline\" aria-labelledby=\"timeline\">");
        foreach (var e in entries)
        {
            var permalink = e.Source?.Permalink is { } p && PostmortemDraft.IsWebLink(p) ? " · " + Link("message in chat", p) : "";
            body.Append($"<li data-kind=\"{E(e.Kind)}\"><span class=\"meta\">{Time(e.OccurredAt)} · {E(e.Kind)}{(e.Author is null ? "" : " · " + Text(e.Author.Mention))}{(e.EditedAt is null ? "" : " · edited")}{permalink}</span>{Text(e.Text)}</li>");
        }

        body.Append("</ol>");
        PageLinks(body, query, page.Record.Incident.Id, IncidentPaging.TimelineAfter, page.NextTimeline, "timeline", "Later entries");
    }

    /// <summary>
    /// "Next page" and "first page" links for one section; the other section's cursor and the page size are kept, so
    /// paging the timeline does not move the audit back to its start.
    /// </summary>
    private static void PageLinks(StringBuilder body, IQueryCollection query, Guid id, string parameter, PageCursor? next, string anchor, string label)
    {
        var here = query[parameter].FirstOrDefault() is not null;
        if (next is null && !here)
        {
            return;
        }

        string Href(string? cursor)
        {
            var keep = new Dictionary<string, string?>();
            foreach (var name in new[] { "limit", IncidentPaging.TimelineAfter, IncidentPaging.AuditAfter })
            {
                if (name != parameter && query[name].FirstOrDefault() is { } value)
                {
                    keep[name] = value;
                }
            }

            if (cursor is not null)
            {
                keep[parameter] = cursor;
            }

            return QueryHelpers.AddQueryString($"/incidents/{id}", keep) + "#" + anchor;
        }

        body.Append("<p class=\"links\">");
        if (here)
        {
            body.Append($"<a href=\"{E(Href(null))}\">First page</a>");
        }

        if (next is { } cursor)
        {
            body.Append($"<a href=\"{E(Href(cursor.Encode()))}\" rel=\"next\">{E(label)} →</a>");
        }

        body.Append("</p>");
    }

    private static void Updates(StringBuilder body, IncidentRecord r)
    {
        body.Append("<h2 id=\"updates\">Status updates</h2>");
        var rows = new StringBuilder();
        foreach (var u in r.Updates.OrderBy(u => u.PostedAt))
        {
            rows.Append($"<tr><td>{Time(u.PostedAt)}</td><td>{Html.Status(u.Status)}</td><td>{Text(u.Author.Mention)}</td><td>{Text(u.Text)}</td></tr>");
        }

        body.Append(rows.Length == 0 ? "<p>No status updates yet.</p>" : Table("Status updates as sent", "<tr><th scope=\"col\">Posted</th><th scope=\"col\">Status</th><th scope=\"col\">By</th><th scope=\"col\">Update</th></tr>", rows.ToString()));
    }

    private static void Actions(StringBuilder body, HttpContext http, IncidentRecord r, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var hidden = $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\"><input type=\"hidden\" name=\"nonce\" value=\"{Guid.NewGuid():N}\">";
        var i = r.Incident;
        body.Append("<h2 id=\"actions\">Follow-up actions</h2>");
        var rows = new StringBuilder();
        foreach (var a in r.Actions.OrderBy(a => a.Seq))
        {
            var done = a.DoneAt is { } at
                ? $"done {Time(at)}{(a.DoneBy is null ? "" : " by " + Text(a.DoneBy.Mention))}"
                : $"<form method=\"post\" action=\"/incidents/{i.Id}/actions/{a.Seq}/done\">{hidden}<button type=\"submit\" class=\"secondary\" aria-label=\"Mark action {a.Seq} done\">Mark done</button></form>";
            var missing = a.Priority == ActionPriority.Critical && !a.Done && (a.Owner is null || a.DueDate is null) ? " <strong>(needs owner and due date before close)</strong>" : "";
            rows.Append($"<tr><th scope=\"row\">{a.Seq}</th><td>{Text(a.Text)}{missing}</td><td>{(a.Owner is null ? "none" : Text(a.Owner.Mention))}</td><td>{(a.DueDate is { } d ? E(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : "not set")}</td><td>{E(a.Priority.ToString().ToLowerInvariant())}</td><td>{done}</td></tr>");
        }

        body.Append(rows.Length == 0 ? "<p>No follow-up actions yet.</p>" : Table("Follow-up actions", "<tr><th scope=\"col\">#</th><th scope=\"col\">Action</th><th scope=\"col\">Owner</th><th scope=\"col\">Due</th><th scope=\"col\">Priority</th><th scope=\"col\">Status</th></tr>", rows.ToString()));
        body.Append($"""
            <h3 id="add-action">Add an action</h3>
            <form class="stack" method="post" action="/incidents/{i.Id}/actions" aria-labelledby="add-action">
            {hidden}
            <div><label for="a-text">Action</label><input id="a-text" name="text" required maxlength="500"></div>
            <div><label for="a-owner">Owner (chat user id, e.g. U024BE7LH)</label><input id="a-owner" name="owner" maxlength="100" autocomplete="off"></div>
            <div><label for="a-due">Due date</label><input id="a-due" name="due" type="date"></div>
            <div><label for="a-priority">Priority</label><select id="a-priority" name="priority"><option value="normal">normal</option><option value="high">high</option><option value="critical">critical</option></select></div>
            <div><button type="submit">Add action</button></div>
            </form>
            """);
    }

    private static void Recovery(StringBuilder body, IncidentRecord r, IncidentOptions options)
    {
        var items = IncidentMessages.Checklist(r, IncidentMessages.RecoveryChecklist, options.RecoveryChecklistFor(r.Incident.Severity));
        body.Append("<h2 id=\"recovery\">Recovery checklist</h2><ul>");
        foreach (var item in items)
        {
            body.Append($"<li>{(item.Done ? "☑" : "☐")} {E(item.Text)}{(item.Done && item.DoneBy is not null ? " — " + Text(item.DoneBy) : "")}</li>");
        }

        body.Append("</ul>");
    }

    private static void Audit(StringBuilder body, IQueryCollection query, IncidentPage page)
    {
        var r = page.Record;
        body.Append("<h2 id=\"audit\">Audit log</h2>");
        var rows = new StringBuilder();
        foreach (var a in r.Audit.OrderBy(a => a.At).ThenBy(a => a.Id))
        {
            rows.Append($"<tr><td>{Time(a.At)}</td><td>{E(a.Actor)}</td><td>{E(a.Surface)}</td><td>{E(a.Field)}</td><td>{E(a.OldValue ?? "—")}</td><td>{E(a.NewValue ?? "—")}</td></tr>");
        }

        body.Append(rows.Length == 0 ? (page.AuditTotal == 0 ? "<p>No changes recorded.</p>" : "<p>No more changes.</p>") : Table("Every change: who, from where, old and new value", "<tr><th scope=\"col\">When</th><th scope=\"col\">Actor</th><th scope=\"col\">Surface</th><th scope=\"col\">Field</th><th scope=\"col\">Old</th><th scope=\"col\">New</th></tr>", rows.ToString()));
        PageLinks(body, query, r.Incident.Id, IncidentPaging.AuditAfter, page.NextAudit, "audit", "Later changes");
    }
}

/// <summary>The key-time form's field names.</summary>
internal static class KeyTimeFormFields
{
    public const string ImpactStarted = "impact_started";
    public const string Detected = "detected";
    public const string Acknowledged = "acknowledged";
    public const string Mitigated = "mitigated";
    public const string Resolved = "resolved";
}
