using System.Text;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using static ChatOpsIncident.Host.Web.Html;

namespace ChatOpsIncident.Host.Web;

/// <summary>The incident list: filters by status, severity and type, and a title search.</summary>
internal static class IncidentListPage
{
    private static readonly string[] Statuses = ["open", "triage", "investigating", "identified", "monitoring", "resolved", "closed", "declined", "merged", "cancelled"];

    public static async Task<IResult> RenderAsync(HttpRequest request, WebViewer viewer, IncidentService incidents, IncidentOptions options, CancellationToken ct)
    {
        var status = Param(request, "status");
        var severity = Param(request, "severity");
        var type = Param(request, "type");
        var q = Param(request, "q");
        var errors = new List<string>();
        IncidentStatus? parsedStatus = null;
        bool? open = null;
        if (status == "open")
        {
            open = true;
        }
        else if (status is not null)
        {
            if (IncidentStatusNames.TryFromWire(status, out var s))
            {
                parsedStatus = s;
            }
            else
            {
                errors.Add($"Unknown status '{status}'.");
            }
        }

        if (severity is not null && options.FindSeverity(severity) is null)
        {
            errors.Add($"Unknown severity '{severity}'.");
        }

        if (type is not null && options.FindType(type) is null)
        {
            errors.Add($"Unknown type '{type}'.");
        }

        if (q is { Length: > 200 })
        {
            errors.Add("The search is longer than 200 characters.");
        }

        var body = new StringBuilder("<h1>Incidents</h1>");
        body.Append(Filters(status, severity, type, q, options));
        if (errors.Count > 0)
        {
            body.Append("<p class=\"notice\" role=\"alert\">").Append(E(string.Join(" ", errors))).Append(" Nothing was filtered; choose from the lists.</p>");
            return Results.Content(Page("Incidents", body.ToString(), viewer, "incidents"), "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        // A private incident is listed only to its participants (and admins); its title is itself sensitive. The store
        // applies the visibility rule in the list query itself.
        var visible = await incidents.ListVisibleAsync(new IncidentQuery(parsedStatus, open, severity, type, q, 500), viewer.Viewer, ct);

        if (visible.Count == 0)
        {
            body.Append("<p id=\"results\" role=\"status\">No incidents match.</p>");
        }
        else
        {
            var rows = new StringBuilder();
            foreach (var i in visible)
            {
                rows.Append("<tr>")
                    .Append($"<th scope=\"row\"><a href=\"/incidents/{i.Id}\">{E(i.PublicId)}</a></th>")
                    .Append($"<td>{E(i.Title)}{(i.IsPrivate ? " " + Badge("private", "private") : "")}{(i.Drill ? " " + Badge(IncidentMessages.DrillLabel, "drill") : "")}</td>")
                    .Append($"<td>{E(i.Severity)}</td><td>{E(i.Type)}</td><td>{Html.Status(i.Status)}</td>")
                    .Append($"<td>{Time(i.DeclaredAt)}</td>")
                    .Append($"<td>{(i.ChannelName is null ? "—" : Link("#" + i.ChannelName, i.ChannelUrl))}</td>")
                    .Append("</tr>");
            }

            body.Append($"<p id=\"results\" role=\"status\">{visible.Count} incident{(visible.Count == 1 ? "" : "s")}.</p>");
            body.Append(Table("Incidents", "<tr><th scope=\"col\">Incident</th><th scope=\"col\">Title</th><th scope=\"col\">Severity</th><th scope=\"col\">Type</th><th scope=\"col\">Status</th><th scope=\"col\">Declared</th><th scope=\"col\">Channel</th></tr>", rows.ToString()));
        }

        return Results.Content(Page("Incidents", body.ToString(), viewer, "incidents"), "text/html; charset=utf-8");
    }

    private static string? Param(HttpRequest request, string name) =>
        request.Query[name].FirstOrDefault() is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private static string Filters(string? status, string? severity, string? type, string? q, IncidentOptions options)
    {
        static string Options(string name, string label, string? selected, IEnumerable<string> values) =>
            $"<div><label for=\"f-{name}\">{label}</label><select id=\"f-{name}\" name=\"{name}\"><option value=\"\">Any</option>"
            + string.Concat(values.Select(v => $"<option value=\"{E(v)}\"{(string.Equals(v, selected, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{E(v)}</option>"))
            + "</select></div>";

        return "<form class=\"filters\" method=\"get\" action=\"/incidents\" role=\"search\" aria-label=\"Filter incidents\">"
            + Options("status", "Status", status, Statuses)
            + Options("severity", "Severity", severity, options.Severities.Select(s => s.Name))
            + Options("type", "Type", type, options.Types.Select(t => t.Name))
            + $"<div><label for=\"f-q\">Search titles</label><input id=\"f-q\" name=\"q\" type=\"search\" value=\"{E(q)}\" maxlength=\"200\"></div>"
            + "<div><button type=\"submit\">Filter</button></div>"
            + "</form>";
    }
}
