using System.Globalization;
using System.Text;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.Core.Storage;
using static ChatOpsIncident.Host.Web.Html;

namespace ChatOpsIncident.Host.Web;

/// <summary>The window metrics are computed over: declared in [From, To).</summary>
internal readonly record struct MetricsWindow(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(3 * 366);

    /// <summary>No incident is older than this; earlier dates are clamped to it (and never overflow date arithmetic).</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Reads <c>from</c>/<c>to</c> (dates or times, UTC) or <c>days</c> (default 30, ending now).</summary>
    public static bool TryParse(IQueryCollection query, DateTimeOffset now, out MetricsWindow window, out string? error)
    {
        window = default;
        error = null;
        var fromText = query["from"].FirstOrDefault();
        var toText = query["to"].FirstOrDefault();
        var daysText = query["days"].FirstOrDefault();
        DateTimeOffset to = now;
        if (!string.IsNullOrWhiteSpace(toText))
        {
            if (!TryDate(toText, out to, out var dateOnly))
            {
                error = $"'to' must be a date (YYYY-MM-DD) or an ISO 8601 time, not '{toText}'.";
                return false;
            }

            // A date as the end means the whole of that day. Nothing is declared in the future: a later end is clamped to
            // tomorrow, so to=9999-12-31 is a window ending now-ish, not an overflow.
            var latest = now.AddDays(1);
            to = to >= latest ? latest : dateOnly ? to.AddDays(1) : to;
            if (to <= Earliest)
            {
                error = $"'to' must be after {Earliest:yyyy-MM-dd}.";
                return false;
            }
        }

        DateTimeOffset from;
        if (!string.IsNullOrWhiteSpace(fromText))
        {
            if (!TryDate(fromText, out from, out _))
            {
                error = $"'from' must be a date (YYYY-MM-DD) or an ISO 8601 time, not '{fromText}'.";
                return false;
            }

            from = from < Earliest ? Earliest : from;
        }
        else
        {
            var days = 30;
            if (!string.IsNullOrWhiteSpace(daysText) && (!int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days < 1 || days > MaxLength.TotalDays))
            {
                error = $"'days' must be a whole number from 1 to {(int)MaxLength.TotalDays}.";
                return false;
            }

            from = to.AddDays(-days);
        }

        if (from >= to)
        {
            error = "'from' must be before 'to'.";
            return false;
        }

        if (to - from > MaxLength)
        {
            error = $"The window is longer than {(int)MaxLength.TotalDays} days.";
            return false;
        }

        window = new MetricsWindow(from, to);
        return true;
    }

    private static bool TryDate(string text, out DateTimeOffset value, out bool dateOnly)
    {
        dateOnly = false;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            dateOnly = true;
            value = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Every incident declared in the window (the store lists at most 1000 at a time, newest first).</summary>
    public async Task<List<Incident>> LoadAsync(IIncidentStore store, CancellationToken ct)
    {
        var all = new Dictionary<Guid, Incident>();
        var to = To;
        for (var page = 0; page < 100; page++)
        {
            var batch = await store.ListAsync(new IncidentQuery(Limit: 1000, DeclaredFrom: From, DeclaredTo: to), ct);
            foreach (var i in batch)
            {
                all.TryAdd(i.Id, i);
            }

            if (batch.Count < 1000)
            {
                break;
            }

            // Next page: up to and including the oldest time seen (ties are deduplicated by id).
            to = batch.Min(i => i.DeclaredAt).AddTicks(10);
        }

        return all.Values.ToList();
    }
}

/// <summary>The metrics page: counts and durations per severity and type, simple bar charts, and the flagged incidents.</summary>
internal static class MetricsPage
{
    public static string Render(MetricsReport report, MetricsWindow window, WebViewer viewer, Func<Incident, bool> canSee, string? error = null, DeadLetterCounts? dead = null)
    {
        var body = new StringBuilder("<h1>Metrics</h1>");
        body.Append(WindowForm(window));
        if (error is not null)
        {
            body.Append($"<p class=\"notice\" role=\"alert\">{E(error)}</p>");
            return Page("Metrics", body.ToString(), viewer, "metrics");
        }

        var o = report.Overall;
        body.Append($"<p role=\"status\">{o.Incidents} incident{(o.Incidents == 1 ? "" : "s")} declared from {Time(report.From)} to {Time(report.To)}: {o.Open} open, {o.Resolved} resolved, {o.Closed} closed{(o.Flagged > 0 ? $", <a href=\"#flagged\">{o.Flagged} flagged</a>" : "")}.</p>");
        body.Append("<p>Time to detect runs from when the impact started (set with <code>started</code>) to detection (the first alert, else the declaration); time to acknowledge, from detection to the first human act (a person declaring, accepting, or claiming the commander role); to mitigate and to resolve, from declaration. Declined, merged and cancelled incidents, and drills, are not counted. Flagged incidents (times missing or out of order) are counted but left out of every duration.</p>");

        body.Append("<h2 id=\"by-severity\">By severity</h2>");
        body.Append(Chart("chart-ttr-sev", "Median time to resolve by severity", report.BySeverity.Select(g => (g.Name, g.Resolve.Median))));
        body.Append(Chart("chart-tta-sev", "Median time to acknowledge by severity", report.BySeverity.Select(g => (g.Name, g.Acknowledge.Median))));
        body.Append(GroupTable("Durations by severity", "Severity", report.BySeverity));
        body.Append("<h2 id=\"by-type\">By type</h2>");
        body.Append(CountChart("chart-count-type", "Incidents by type", report.ByType.Select(g => (g.Name, g.Incidents))));
        body.Append(Chart("chart-ttr-type", "Median time to resolve by type", report.ByType.Select(g => (g.Name, g.Resolve.Median))));
        body.Append(GroupTable("Durations by type", "Type", report.ByType));

        body.Append("<h2 id=\"flagged\">Flagged incidents</h2>");
        if (report.Flagged.Count == 0)
        {
            body.Append("<p>None: every incident's key times are present and in order.</p>");
        }
        else
        {
            body.Append("<ul>");
            foreach (var f in report.Flagged)
            {
                var i = f.Incident;
                var name = canSee(i) ? $"<a href=\"/incidents/{i.Id}\">{E(i.PublicId)}</a>: {E(i.Title)}" : "A private incident";
                body.Append($"<li>{name} — {E(string.Join(" ", f.Problems))}</li>");
            }

            body.Append("</ul>");
        }

        if (dead is { } d)
        {
            body.Append(DeadSection(d, viewer));
        }

        return Page("Metrics", body.ToString(), viewer, "metrics");
    }

    /// <summary>Work that gave up for good, now (not in the window); admins get the page where it can be retried.</summary>
    private static string DeadSection(DeadLetterCounts d, WebViewer viewer)
    {
        var link = viewer.IsAdmin && d.Total > 0 ? " <a href=\"/admin/dead-letters\">See and retry them</a>." : "";
        var text = d.Total == 0
            ? "None: every received delivery and every outgoing message was processed or is still being tried."
            : $"{d.Total} item{(d.Total == 1 ? "" : "s")} gave up for good: {d.Inbox} received (commands, clicks, events) and {d.Outbox} outgoing (posts, updates, answers).{link}";
        return $"<h2 id=\"dead-letters\">Dead items</h2><p id=\"dead-count\">{text}</p>";
    }

    private static string WindowForm(MetricsWindow w)
    {
        var from = w.From == default ? "" : w.From.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = w.To == default ? "" : w.To.AddTicks(-1).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"""
            <form class="filters" method="get" action="/reports" aria-label="Window">
            <div><label for="m-from">From (UTC date)</label><input id="m-from" name="from" type="date" value="{E(from)}"></div>
            <div><label for="m-to">To (UTC date, inclusive)</label><input id="m-to" name="to" type="date" value="{E(to)}"></div>
            <div><button type="submit">Show</button></div>
            </form>
            <p class="links"><a href="/reports?days=7">Last 7 days</a><a href="/reports?days=30">Last 30 days</a><a href="/reports?days=90">Last 90 days</a><a href="/reports?days=365">Last year</a></p>
            """;
    }

    private static string GroupTable(string caption, string first, IReadOnlyList<MetricGroup> groups)
    {
        static string Stat(DurationStats s) => s.Count == 0 ? "—" : $"{E(Durations.Format(s.Median))} <span class=\"local\">(mean {E(Durations.Format(s.Mean))}, n={s.Count})</span>";

        var rows = new StringBuilder();
        foreach (var g in groups)
        {
            rows.Append($"<tr><th scope=\"row\">{E(g.Name)}</th><td>{g.Incidents}</td><td>{g.Open}</td><td>{g.Resolved + g.Closed}</td><td>{g.Flagged}</td><td>{Stat(g.Acknowledge)}</td><td>{Stat(g.Mitigate)}</td><td>{Stat(g.Resolve)}</td></tr>");
        }

        return Table(caption, $"<tr><th scope=\"col\">{E(first)}</th><th scope=\"col\">Incidents</th><th scope=\"col\">Open</th><th scope=\"col\">Resolved or closed</th><th scope=\"col\">Flagged</th><th scope=\"col\">Acknowledge (median)</th><th scope=\"col\">Mitigate (median)</th><th scope=\"col\">Resolve (median)</th></tr>", rows.ToString());
    }

    private static string Chart(string id, string title, IEnumerable<(string Label, TimeSpan? Value)> bars) =>
        Bars(id, title, bars.Select(b => (b.Label, b.Value?.TotalMinutes ?? 0, b.Value is null ? "no data" : Durations.Format(b.Value))).ToList());

    private static string CountChart(string id, string title, IEnumerable<(string Label, int Count)> bars) =>
        Bars(id, title, bars.Select(b => (b.Label, (double)b.Count, b.Count.ToString(CultureInfo.InvariantCulture))).ToList());

    /// <summary>A horizontal bar chart in plain SVG; its title carries every value for screen readers.</summary>
    private static string Bars(string id, string title, List<(string Label, double Value, string Text)> bars)
    {
        const int Row = 28, LabelWidth = 120, BarWidth = 150;
        var max = bars.Count == 0 ? 0 : bars.Max(b => b.Value);
        var summary = $"{title}: " + string.Join(", ", bars.Select(b => $"{b.Label} {b.Text}"));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\"><figcaption>{E(title)}</figcaption><svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-t\" viewBox=\"0 0 340 {Math.Max(Row, bars.Count * Row)}\" width=\"100%\"><title id=\"{id}-t\">{E(summary)}</title>");
        for (var k = 0; k < bars.Count; k++)
        {
            var (label, value, text) = bars[k];
            var width = max <= 0 ? 0 : Math.Max(value > 0 ? 2 : 0, value / max * BarWidth);
            var y = k * Row;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 19}\">{E(label)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{y + 5}\" width=\"{width:0.#}\" height=\"19\"></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + width + 6:0.#}\" y=\"{y + 19}\">{E(text)}</text>");
        }

        sb.Append("</svg></figure>");
        return sb.ToString();
    }
}
